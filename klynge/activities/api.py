"""The REST API's endpoints of this app (registered on /api/v1/ by klynge.api.urls).

Activities, registrations (sign-ups with the registration rules: capacity, waitlist, one live
registration per person) and participations (registrations marked attended). Every write
calls the same service as the staff pages (klynge.activities.services and .registrations),
so the rules, the e-mails and the audit entries are the same.

The small shared pieces of the activity, project, matchmaking and brokerage endpoints (the
error body, the error responses of the schema, "members read, the cluster team writes") live
here, in the lowest of those apps.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from klynge.activities import registrations as registration_services
from klynge.activities import services
from klynge.activities.choices import ActivityStatus, ParticipationRole, RegistrationStatus
from klynge.activities.filters import ActivityFilter
from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.activities.registration_forms import RegistrationFilter
from klynge.activities.selectors import activity_list
from klynge.core.api import StrictSerializerMixin, VersionField, version_required
from klynge.core.api_views import ApiViewSet, is_team
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM, TEAM_AND_MEMBERS
from klynge.ecosystem.models import Organisation, Person
from klynge.funding.models import Grant

# --- activities ------------------------------------------------------------------------------


def _team_users():
    return get_user_model().objects.filter(role__in=CLUSTER_TEAM, is_active=True)


class FundingSerializer(serializers.ModelSerializer):
    grant_name = serializers.CharField(source="grant.name", read_only=True)

    class Meta:
        model = ActivityFunding
        fields = ["grant", "grant_name", "share"]


class FundingInputSerializer(StrictSerializerMixin, serializers.Serializer):
    grant = serializers.PrimaryKeyRelatedField(queryset=Grant.objects.all())
    share = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True,
        help_text=_("Per cent; empty: the rest."),
    )


class ActivitySerializer(serializers.ModelSerializer):
    online_link = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    fundings = FundingSerializer(many=True, read_only=True)
    registered_count = serializers.IntegerField(read_only=True)
    waitlisted_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "title", "description", "type", "format", "focus_areas",
                  "focus_network", "hub", "place", "online_link", "starts_at", "ends_at",
                  "capacity", "registration_deadline", "status", "is_public", "green_focus",
                  "innovation_project", "responsible", "co_organisers", "fundings",
                  "registered_count", "waitlisted_count", "attended_count", "held_at",
                  "version", "created_at", "updated_at"]
        read_only_fields = fields


class MomentField(serializers.DateTimeField):
    """A date and time between 1900 and 2999 (older ones have no sensible UTC offset)."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 1900 <= moment.year <= 2999:
            raise serializers.ValidationError(_("Give a date between 1900 and 2999."))
        return moment


class ActivityWriteSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """The fields an activity takes; the rules are the service's (klynge.activities.services).
    `fundings` replaces the funding split when given; `version` is required on updates.
    The status here is planned, open or closed (held and cancelled: the status action)."""

    responsible = serializers.PrimaryKeyRelatedField(queryset=_team_users(), required=False,
                                                     allow_null=True)
    capacity = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                        allow_null=True)
    starts_at = MomentField()
    ends_at = MomentField()
    registration_deadline = MomentField(required=False, allow_null=True)
    fundings = FundingInputSerializer(many=True, required=False)
    version = VersionField(required=False)

    class Meta:
        model = Activity
        fields = ["title", "description", "type", "format", "focus_areas", "focus_network",
                  "hub", "place", "online_link", "starts_at", "ends_at", "capacity",
                  "registration_deadline", "status", "is_public", "green_focus",
                  "innovation_project", "responsible", "co_organisers", "fundings", "version"]


def _activity_write_args(data: dict) -> dict:
    focus_areas = data.pop("focus_areas", None)
    co_organisers = data.pop("co_organisers", None)
    fundings = data.pop("fundings", None)
    if fundings is not None:
        fundings = [(row["grant"], row.get("share")) for row in fundings]
    return {"data": data, "focus_areas": focus_areas, "co_organisers": co_organisers,
            "fundings": fundings}


class ActivityStatusSerializer(StrictSerializerMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                   help_text=_("Why it is cancelled (cancelled only)."))


@extend_schema_view(
    list=extend_schema(summary="List activities", responses={200: ActivitySerializer}),
    retrieve=extend_schema(summary="One activity", responses={200: ActivitySerializer}),
)
@access(TEAM_AND_MEMBERS)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Activities with their funding split and registration counts.

    The cluster team reads and writes every activity; members read the public ones (what the
    calendar shows). Filters and sorting are the activity list's (`ordering`: starts, title,
    type, format, status, hub, registered; `-` for descending). Writes go through the
    activity services: the same rules (dates, deadline, capacity, funding shares and grant
    periods) and audit entries as the staff pages; an update needs the `version` read
    (409 when someone saved in between). Held and cancelled are set with the status action.
    """

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        queryset = activity_list().order_by("-starts_at", "-pk")
        if not is_team(self.request.user):
            queryset = queryset.filter(is_public=True)
        return queryset

    def _answer(self, activity, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=activity.pk)
        return Response(ActivitySerializer(fresh).data, status=code)

    @extend_schema(summary="Plan an activity", request=ActivityWriteSerializer,
                   responses={201: ActivitySerializer})
    def create(self, request):
        serializer = ActivityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        activity = services.activity_create(actor=request.user, **_activity_write_args(data))
        return self._answer(activity, status.HTTP_201_CREATED)

    def _update(self, request, pk, partial: bool):
        activity = get_object_or_404(self.get_queryset(), pk=pk)
        version_required(request)
        serializer = ActivityWriteSerializer(activity, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        activity = services.activity_update(activity=activity, actor=request.user,
                                            version=version, **_activity_write_args(data))
        return self._answer(activity)

    @extend_schema(summary="Change an activity (every field)", request=ActivityWriteSerializer,
                   responses={200: ActivitySerializer})
    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    @extend_schema(summary="Change some fields of an activity", request=ActivityWriteSerializer,
                   responses={200: ActivitySerializer})
    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)

    @extend_schema(summary="Change an activity's status", request=ActivityStatusSerializer,
                   responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Planned, open or closed; `held` records that it took place (evaluation surveys go
        out), `cancelled` cancels it with a reason. A held or cancelled activity keeps its
        status."""
        activity = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ActivityStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        wanted = serializer.validated_data["status"]
        if wanted == "cancelled":
            services.activity_cancel(activity=activity, actor=request.user,
                                     reason=serializer.validated_data.get("reason", ""))
        else:
            services.activity_set_status(activity=activity, actor=request.user, status=wanted)
        return self._answer(activity)


# --- registrations ---------------------------------------------------------------------------


class RegistrationApiFilter(RegistrationFilter):
    """The registration list's filters, across activities: which activity, whose."""

    activity = filters.ModelChoiceFilter(label=_("Activity"), queryset=Activity.objects.all())
    person = filters.ModelChoiceFilter(label=_("Person"), queryset=Person.objects.all())
    organisation = filters.ModelChoiceFilter(label=_("Organisation"),
                                             queryset=Organisation.objects.all())

    class Meta(RegistrationFilter.Meta):
        fields = ["status", "role"]


class RegistrationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True,
                                              default=None, allow_null=True)
    is_no_show = serializers.BooleanField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "activity", "person", "person_name", "organisation",
                  "organisation_name", "role", "status", "source", "answers", "waitlisted_at",
                  "cancelled_at", "attended", "checked_in_at", "is_no_show", "created_at",
                  "updated_at"]
        read_only_fields = fields


class RegistrationCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """Register a known person (`person`) or someone found or created by `email`, as the
    staff page does (questions optional)."""

    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(
        erased_at__isnull=True), required=False, allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(),
                                                      required=False, allow_null=True)
    role = serializers.ChoiceField(choices=ParticipationRole.choices,
                                   default=ParticipationRole.PARTICIPANT)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True,
                                                                max_length=2000),
                                    required=False)

    def validate(self, attrs):
        if not attrs.get("person") and not attrs.get("email"):
            raise serializers.ValidationError(
                {"email": [_("Give the person or their e-mail address.")]})
        return attrs


class RegistrationCancelSerializer(serializers.Serializer):
    registration = RegistrationSerializer()
    promoted = RegistrationSerializer(many=True, help_text=_("Moved up from the waitlist."))


class RoleSerializer(StrictSerializerMixin, serializers.Serializer):
    role = serializers.ChoiceField(choices=ParticipationRole.choices)


class AttendanceSerializer(StrictSerializerMixin, serializers.Serializer):
    attended = serializers.BooleanField(allow_null=True, help_text=_(
        "true: attended, false: absent (a no-show), null: not marked (undo)."))


def _registrations_for(user):
    queryset = Registration.objects.select_related("person", "organisation").order_by(
        "created_at", "pk")
    if is_team(user):
        return queryset
    return queryset.filter(organisation_id=getattr(user, "organisation_id", None) or 0)


@extend_schema_view(
    list=extend_schema(summary="List registrations", responses={200: RegistrationSerializer}),
    retrieve=extend_schema(summary="One registration",
                           responses={200: RegistrationSerializer}),
)
@access(TEAM_AND_MEMBERS)
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          ApiViewSet):
    """Registrations for activities (filter `activity=` for one activity's list).

    The cluster team reads all and registers, cancels, changes roles and records attendance
    through the registration services: the same rules (a cancelled activity takes no one;
    one live registration per person; past capacity a participant goes on the waitlist,
    which moves up when a seat frees), the same e-mails and audit entries as the staff
    pages. Members read the registrations made for their own organisation.
    """

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationApiFilter

    def get_queryset(self):
        return _registrations_for(self.request.user)

    @extend_schema(summary="Register someone for an activity",
                   request=RegistrationCreateSerializer,
                   responses={201: RegistrationSerializer})
    def create(self, request):
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activity = data["activity"]
        site_url = request.build_absolute_uri("/")
        if data.get("person"):
            answers = registration_services.answers_clean(
                questions=activity.questions.all(), raw=data.get("answers") or {},
                enforce_required=False)
            registration = registration_services.registration_create(
                activity=activity, person=data["person"], actor=request.user,
                organisation=data.get("organisation"), role=data["role"], answers=answers,
                site_url=site_url)
        else:
            registration = registration_services.staff_register(
                activity=activity, actor=request.user, email=data["email"],
                first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                organisation=data.get("organisation"), role=data["role"],
                answers=data.get("answers") or {}, site_url=site_url)
        return Response(RegistrationSerializer(registration).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Cancel a registration", request=None,
                   responses={200: RegistrationCancelSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The freed seat goes to the first on the waitlist (e-mailed)."""
        registration = self.get_object()
        promoted = registration_services.registration_cancel(
            registration=registration, actor=request.user,
            site_url=request.build_absolute_uri("/"))
        registration.refresh_from_db()
        return Response({"registration": RegistrationSerializer(registration).data,
                         "promoted": RegistrationSerializer(promoted, many=True).data})

    @extend_schema(summary="Change the role someone takes part in", request=RoleSerializer,
                   responses={200: RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        registration = self.get_object()
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = registration_services.registration_change_role(
            registration=registration, role=serializer.validated_data["role"],
            actor=request.user)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(summary="Record attendance", request=AttendanceSerializer,
                   responses={200: RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Mark a registered person attended, absent or not marked, from the activity's day."""
        registration = self.get_object()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = registration_services.attendance_mark(
            registration=registration, attended=serializer.validated_data["attended"],
            actor=request.user)
        return Response(RegistrationSerializer(registration).data)


# --- participations ---------------------------------------------------------------------------


class ParticipationFilter(RegistrationApiFilter):
    """Participations: by activity, person, organisation, role and when the activity was."""

    date_from = filters.DateFilter(label=_("From"), field_name="activity__starts_at",
                                   lookup_expr="date__gte")
    date_to = filters.DateFilter(label=_("To"), field_name="activity__starts_at",
                                 lookup_expr="date__lte")

    class Meta(RegistrationApiFilter.Meta):
        fields = ["role"]


class ParticipationSerializer(serializers.ModelSerializer):
    activity_title = serializers.CharField(source="activity.title", read_only=True)
    activity_type = serializers.CharField(source="activity.type", read_only=True)
    starts_at = serializers.DateTimeField(source="activity.starts_at", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True,
                                              default=None, allow_null=True)

    class Meta:
        model = Registration
        fields = ["id", "activity", "activity_title", "activity_type", "starts_at", "person",
                  "person_name", "organisation", "organisation_name", "role", "checked_in_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List participations",
                       responses={200: ParticipationSerializer}),
    retrieve=extend_schema(summary="One participation",
                           responses={200: ParticipationSerializer}),
)
@access(TEAM_AND_MEMBERS)
class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Who took part: registered people marked attended (the KPIs' participations).

    Read only: attendance is recorded on the registration (`/registrations/{id}/attendance/`).
    The cluster team reads all; members read their own organisation's.
    """

    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter

    def get_queryset(self):
        return (_registrations_for(self.request.user)
                .filter(Q(status=RegistrationStatus.REGISTERED) & Q(attended=True))
                .select_related("activity")
                .order_by("-activity__starts_at", "pk"))


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("registrations", RegistrationViewSet, basename="registration")
    router.register("participations", ParticipationViewSet, basename="participation")
