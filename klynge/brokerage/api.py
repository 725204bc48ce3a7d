"""The REST API's endpoints of this app (registered on /api/v1/ by klynge.api.urls).

Brokerage events and their participants (read), and meetings: request, answer, cancel and
arrange through klynge.brokerage.services.meetings, and move or lock in the schedule through
klynge.brokerage.services.scheduling.meeting_move (the cluster team). The same rules, e-mails
and audit entries as the pages.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from klynge.brokerage.choices import MeetingStatus, Priority
from klynge.brokerage.filters_meetings import MeetingFilter
from klynge.brokerage.filters_participants import EventFilter, ParticipantFilter
from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ParticipationType,
    Slot,
    Table,
)
from klynge.brokerage.selectors_events import event_list
from klynge.brokerage.selectors_meetings import MEETING_RELATED
from klynge.brokerage.services import meetings as services
from klynge.brokerage.services.scheduling import meeting_move
from klynge.core.api import DeclaredAccess, StrictSerializerMixin
from klynge.core.api_views import ApiViewSet, is_team
from klynge.core.errors import ApplicationError
from klynge.core.permissions import access
from klynge.core.roles import TEAM_AND_MEMBERS


def member_writes(method):
    """Let members use this write action too (it checks that what they touch is theirs)."""
    method.member_writes = True
    return method


class MeetingWrites(BasePermission):
    """The cluster team writes; members only through the actions marked `member_writes`."""

    message = _("Only the cluster team may do this.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or is_team(request.user):
            return True
        return getattr(getattr(view, view.action or "", None), "member_writes", False)


def _person_id(user) -> int:
    return getattr(user, "person_id", None) or 0


# --- events ------------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="activity.title", read_only=True)
    starts_at = serializers.DateTimeField(source="activity.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="activity.ends_at", read_only=True)
    place = serializers.CharField(source="activity.place", read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    request_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)
    scheduled_count = serializers.IntegerField(read_only=True)
    is_past = serializers.BooleanField(read_only=True)

    class Meta:
        model = BrokerageEvent
        fields = ["id", "activity", "title", "starts_at", "ends_at", "place", "meeting_minutes",
                  "pause_minutes", "meeting_cap", "requests_open", "requests_deadline",
                  "published_at", "participant_count", "request_count", "accepted_count",
                  "scheduled_count", "is_past"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List brokerage events",
                       responses={200: EventSerializer}),
    retrieve=extend_schema(summary="One brokerage event",
                           responses={200: EventSerializer}),
)
@access(TEAM_AND_MEMBERS)
class BrokerageEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """B2B matchmaking events with their figures (participants, requests, accepted and
    scheduled meetings). The cluster team reads all; members the events they take part in.
    Filters and sorting are the event list's."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        queryset = event_list()
        if not is_team(self.request.user):
            queryset = queryset.filter(pk__in=Participant.objects.filter(
                person_id=_person_id(self.request.user)).values("event_id"))
        return queryset


# --- participants ------------------------------------------------------------------------------


def _count(queryset, field: str):
    """A correlated count as a subquery (no row multiplication from joins)."""
    return Coalesce(Subquery(
        queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField()), Value(0))


def _either_side(meetings):
    return (_count(meetings.filter(requester=OuterRef("pk")), "requester")
            + _count(meetings.filter(recipient=OuterRef("pk")), "recipient"))


class ParticipantApiFilter(ParticipantFilter):
    """The participant list's filters, across events (`event=` for one event's list)."""

    event = filters.ModelChoiceFilter(label=_("Event"), queryset=BrokerageEvent.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "type" in self.filters:
            self.filters["type"].queryset = ParticipationType.objects.all()


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True,
                                              default=None, allow_null=True)
    participation_type_name = serializers.CharField(source="participation_type.name",
                                                    read_only=True, default=None, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    made_count = serializers.IntegerField(read_only=True)
    received_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)
    scheduled_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "event", "person", "name", "organisation", "organisation_name",
                  "participation_type", "participation_type_name", "meeting_cap", "headline",
                  "offers", "seeks", "is_listed", "withdrawn_at", "is_active", "made_count",
                  "received_count", "accepted_count", "scheduled_count", "created_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List participants of brokerage events",
                       responses={200: ParticipantSerializer}),
    retrieve=extend_schema(summary="One participant",
                           responses={200: ParticipantSerializer}),
)
@access(TEAM_AND_MEMBERS)
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Participants of brokerage events with their request counts (made, received, accepted
    either way, scheduled). The cluster team reads all; members their own participations.
    Filters and sorting are the participant list's, plus `event`."""

    serializer_class = ParticipantSerializer
    filterset_class = ParticipantApiFilter

    def get_queryset(self):
        accepted = Meeting.objects.filter(status=MeetingStatus.ACCEPTED)
        queryset = (
            Participant.objects.select_related("person", "organisation", "participation_type")
            .annotate(
                made_count=_count(Meeting.objects.filter(requester=OuterRef("pk")),
                                  "requester"),
                received_count=_count(Meeting.objects.filter(recipient=OuterRef("pk")),
                                      "recipient"),
                accepted_count=_either_side(accepted),
                scheduled_count=_either_side(accepted.filter(slot__isnull=False)),
            )
            .order_by("event_id", "person__last_name", "person__first_name", "pk")
        )
        if not is_team(self.request.user):
            queryset = queryset.filter(person_id=_person_id(self.request.user))
        return queryset


# --- meetings ----------------------------------------------------------------------------------


class MeetingApiFilter(MeetingFilter):
    """The meeting list's filters, across events (`event=` for one event's list)."""

    event = filters.ModelChoiceFilter(label=_("Event"), queryset=BrokerageEvent.objects.all())


class MeetingSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.person.full_name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.person.full_name", read_only=True)
    slot_starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True,
                                               default=None, allow_null=True)
    table_name = serializers.CharField(source="table.name", read_only=True, default=None,
                                       allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "event", "requester", "requester_name", "recipient", "recipient_name",
                  "message", "priority", "status", "origin", "answer_message", "answered_at",
                  "slot", "slot_starts_at", "table", "table_name", "locked", "published_slot",
                  "published_table", "attendance", "created_at", "updated_at"]
        read_only_fields = fields


class MeetingRequestSerializer(StrictSerializerMixin, serializers.Serializer):
    requester = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.select_related("event", "person", "organisation"),
        help_text=_("The participant asking (a member: their own participation)."))
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.select_related("event", "person", "organisation"))
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class MeetingArrangeSerializer(MeetingRequestSerializer):
    event = serializers.PrimaryKeyRelatedField(queryset=BrokerageEvent.objects.all())
    requester = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.select_related("event", "person", "organisation"))
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.HIGH)


class MeetingAnswerSerializer(StrictSerializerMixin, serializers.Serializer):
    accept = serializers.BooleanField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MeetingCancelSerializer(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MeetingMoveSerializer(StrictSerializerMixin, serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=Slot.objects.all(), allow_null=True,
                                              help_text=_("Empty: out of the schedule."))
    table = serializers.PrimaryKeyRelatedField(queryset=Table.objects.all(), required=False,
                                               allow_null=True,
                                               help_text=_("Empty: the lowest free table."))
    locked = serializers.BooleanField(default=False)


@extend_schema_view(
    list=extend_schema(summary="List meetings",
                       responses={200: MeetingSerializer}),
    retrieve=extend_schema(summary="One meeting",
                           responses={200: MeetingSerializer}),
)
@access(TEAM_AND_MEMBERS)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Meetings at brokerage events: requests and their answers, and the schedule.

    The cluster team reads all, arranges meetings, answers or cancels on a participant's
    behalf and moves or locks meetings in the schedule; members read the meetings they are
    a side of, request meetings as their own participation, answer requests made to them and
    cancel their own meetings. Every rule of who may meet whom is the service's (colleagues,
    withdrawn or unlisted participants, participation types, closed requests, full agendas):
    a refusal answers 400 with every reason in words (`extra.reasons`).
    """

    serializer_class = MeetingSerializer
    filterset_class = MeetingApiFilter
    permission_classes = [DeclaredAccess, MeetingWrites]
    write_access = None

    def get_queryset(self):
        queryset = Meeting.objects.select_related(*MEETING_RELATED).order_by("-created_at",
                                                                              "-pk")
        if not is_team(self.request.user):
            person_id = _person_id(self.request.user)
            queryset = queryset.filter(Q(requester__person_id=person_id)
                                       | Q(recipient__person_id=person_id))
        return queryset

    def _answer(self, meeting, code=status.HTTP_200_OK):
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data,
                        status=code)

    def _own_side(self, meeting) -> Participant | None:
        """The member's side of the meeting (None for the cluster team)."""
        if is_team(self.request.user):
            return None
        person_id = _person_id(self.request.user)
        return meeting.requester if meeting.requester.person_id == person_id else (
            meeting.recipient)

    @extend_schema(summary="Request a meeting", request=MeetingRequestSerializer,
                   responses={201: MeetingSerializer})
    @member_writes
    def create(self, request):
        """The recipient is e-mailed with links to answer."""
        serializer = MeetingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requester = data["requester"]
        if not is_team(request.user) and requester.person_id != _person_id(request.user):
            raise ApplicationError(_("You can request meetings only as yourself."),
                                   field="requester")
        meeting = services.meeting_request(
            requester=requester, recipient=data["recipient"],
            message=data.get("message", ""), priority=data["priority"], actor=request.user)
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(summary="Arrange a meeting (accepted at once)",
                   request=MeetingArrangeSerializer,
                   responses={201: MeetingSerializer})
    @action(detail=False, methods=["post"])
    def arrange(self, request):
        """The organiser decides: the recipient may be unlisted and requests closed; both
        sides are e-mailed."""
        serializer = MeetingArrangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.meeting_arrange(
            event=data["event"], requester=data["requester"], recipient=data["recipient"],
            actor=request.user, priority=data["priority"], message=data.get("message", ""))
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(summary="Accept or decline a request", request=MeetingAnswerSerializer,
                   responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"])
    @member_writes
    def answer(self, request, pk=None):
        """Only the recipient answers (the cluster team on their behalf)."""
        meeting = self.get_object()
        serializer = MeetingAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = self._own_side(meeting) or meeting.recipient
        meeting = services.meeting_answer(
            meeting=meeting, participant=participant,
            accept=serializer.validated_data["accept"],
            message=serializer.validated_data.get("message", ""))
        return self._answer(meeting)

    @extend_schema(summary="Cancel a request or a meeting", request=MeetingCancelSerializer,
                   responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"])
    @member_writes
    def cancel(self, request, pk=None):
        """By a side (a member) or by the organiser (the cluster team); the other side (both,
        for the organiser) is e-mailed."""
        meeting = self.get_object()
        serializer = MeetingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
            meeting=meeting, actor=request.user, participant=self._own_side(meeting),
            reason=serializer.validated_data.get("reason", ""))
        return self._answer(meeting)

    @extend_schema(summary="Move or lock a meeting in the schedule",
                   request=MeetingMoveSerializer,
                   responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """An accepted meeting at a slot and table of its event (no slot: out of the
        schedule); a locked meeting stays where it is in later scheduler runs."""
        meeting = self.get_object()
        serializer = MeetingMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = meeting_move(meeting=meeting, actor=request.user, slot=data["slot"],
                               table=data.get("table"), locked=data["locked"])
        return self._answer(meeting)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("brokerage-events", BrokerageEventViewSet, basename="brokerage-event")
    router.register("brokerage-participants", ParticipantViewSet,
                    basename="brokerage-participant")
    router.register("brokerage-meetings", MeetingViewSet, basename="brokerage-meeting")
