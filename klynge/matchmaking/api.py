"""The REST API's endpoints of this app (registered on /api/v1/ by klynge.api.urls).

Introductions: list, read, make (a draft), send, delete a draft, and record or delete what came
of them, through klynge.matchmaking.services.introductions (the same rules, e-mails and audit
entries as the staff pages).
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from klynge.core.api import ErrorSerializer, StrictSerializerMixin
from klynge.core.api_views import ApiViewSet, is_team
from klynge.core.permissions import access
from klynge.core.roles import TEAM_AND_MEMBERS
from klynge.ecosystem.models import Hub, Organisation, Person
from klynge.matchmaking.choices import IntroductionStatus, Purpose
from klynge.matchmaking.filters_introductions import IntroductionFilter
from klynge.matchmaking.models import CallTopic, Introduction, IntroductionOutcome
from klynge.matchmaking.selectors_introductions import introduction_list
from klynge.matchmaking.services import introductions as services
from klynge.projects.choices import OutcomeKind
from klynge.projects.models import Project


class IntroductionOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IntroductionOutcome
        fields = ["id", "kind", "date", "description", "project", "recorded_by", "created_at"]
        read_only_fields = fields


class IntroductionSerializer(serializers.ModelSerializer):
    organisation_a_name = serializers.CharField(source="organisation_a.name", read_only=True)
    organisation_b_name = serializers.CharField(source="organisation_b.name", read_only=True)
    status = serializers.ChoiceField(choices=IntroductionStatus.choices, read_only=True,
                                     help_text=_("Derived from the two answers."))
    outcomes = IntroductionOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Introduction
        fields = ["id", "organisation_a", "organisation_a_name", "person_a", "organisation_b",
                  "organisation_b_name", "person_b", "purpose", "score", "reasons",
                  "explanation", "message", "call_topic", "hub", "status", "response_a",
                  "responded_a_at", "response_b", "responded_b_at", "sent_at", "created_by",
                  "outcomes", "created_at", "updated_at"]
        read_only_fields = fields


class IntroductionCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """Introduce two organisations, a contact at each (currently affiliated, not having
    withdrawn matchmaking visibility). Without the recommender's reasons for the pair the
    message is the explanation, so it is required then. It is saved as a draft: `send` it."""

    organisation_a = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    person_a = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False,
                                                  allow_null=True)
    organisation_b = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    person_b = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False,
                                                  allow_null=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.ANY)
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    call_topic = serializers.PrimaryKeyRelatedField(queryset=CallTopic.objects.all(),
                                                    required=False, allow_null=True)
    hub = serializers.PrimaryKeyRelatedField(queryset=Hub.objects.all(), required=False,
                                             allow_null=True)


class SendResultSerializer(serializers.Serializer):
    introduction = IntroductionSerializer()
    sent_to = serializers.ListField(child=serializers.CharField(),
                                    help_text=_("The addresses e-mailed."))


class IntroductionOutcomeWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """An EU application outcome without a project creates the EU application (or marks the
    one it created funded); a given project gets the two organisations as partners."""

    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    date = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), required=False,
                                                 allow_null=True)


OUTCOME_ID = OpenApiParameter("outcome_id", int, OpenApiParameter.PATH,
                              description=str(_("The outcome's id.")))


@extend_schema_view(
    list=extend_schema(summary="List introductions",
                       responses={200: IntroductionSerializer}),
    retrieve=extend_schema(summary="One introduction",
                           responses={200: IntroductionSerializer}),
)
@access(TEAM_AND_MEMBERS)
class IntroductionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          ApiViewSet):
    """Introductions of two organisations, with their answers and outcomes.

    The cluster team reads and writes all; members read the introductions of their own
    organisation (either side). Filters and sorting are the introduction list's (`status` is
    derived: draft, waiting, accepted, declined). Writes go through the introduction services:
    the same rules, e-mails and audit entries as the staff pages.
    """

    serializer_class = IntroductionSerializer
    filterset_class = IntroductionFilter

    def get_queryset(self):
        queryset = introduction_list().prefetch_related(
            Prefetch("outcomes", queryset=IntroductionOutcome.objects.order_by("date", "pk")))
        if not is_team(self.request.user):
            organisation_id = getattr(self.request.user, "organisation_id", None) or 0
            queryset = queryset.filter(Q(organisation_a_id=organisation_id)
                                       | Q(organisation_b_id=organisation_id))
        return queryset

    def _fresh(self, introduction) -> Introduction:
        return self.get_queryset().get(pk=introduction.pk)

    @extend_schema(summary="Introduce two organisations", request=IntroductionCreateSerializer,
                   responses={201: IntroductionSerializer})
    def create(self, request):
        """Saved as a draft, e-mailed by the `send` action."""
        serializer = IntroductionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        introduction = services.introduction_create(
            actor=request.user, organisation_a=data["organisation_a"],
            person_a=data.get("person_a"), organisation_b=data["organisation_b"],
            person_b=data.get("person_b"), purpose=data["purpose"],
            message=data.get("message", ""), call_topic=data.get("call_topic"),
            hub=data.get("hub"))
        return Response(IntroductionSerializer(self._fresh(introduction)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Delete an introduction never sent", request=None,
                   responses={204: None, 400: OpenApiResponse(
                       ErrorSerializer, description="A sent introduction stays on record.")})
    def destroy(self, request, pk=None):
        introduction = self.get_object()
        services.introduction_delete(introduction=introduction, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="E-mail the introduction to the sides that have not answered",
                   request=None, responses={200: SendResultSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        introduction = self.get_object()
        sent_to = services.introduction_send(introduction=introduction, actor=request.user)
        return Response({"introduction": IntroductionSerializer(self._fresh(introduction)).data,
                         "sent_to": sent_to})

    @extend_schema(summary="Record what came of an introduction",
                   request=IntroductionOutcomeWriteSerializer,
                   responses={201: IntroductionOutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        introduction = self.get_object()
        serializer = IntroductionOutcomeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.introduction_outcome_record(
            introduction=introduction, kind=data["kind"], date=data["date"],
            description=data.get("description", ""), project=data.get("project"),
            actor=request.user)
        return Response(IntroductionOutcomeSerializer(outcome).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Delete a recorded outcome", request=None, parameters=[OUTCOME_ID],
                   responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"outcomes/(?P<outcome_id>[0-9]+)")
    def outcome(self, request, pk=None, outcome_id=None):
        introduction = self.get_object()
        outcome = get_object_or_404(IntroductionOutcome.objects.select_related("introduction"),
                                    introduction=introduction, pk=outcome_id)
        services.introduction_outcome_delete(outcome=outcome, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("introductions", IntroductionViewSet, basename="introduction")
