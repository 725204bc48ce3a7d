"""The REST API's endpoints of this app (registered on /api/v1/ by klynge.api.urls).

Projects with their partners and outcomes, read and written through klynge.projects.services
(the same rules and audit entries as the staff pages).
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from klynge.core.api import StrictSerializerMixin
from klynge.core.api_views import ApiViewSet, is_team
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM, TEAM_AND_MEMBERS
from klynge.ecosystem.models import Organisation
from klynge.projects import services
from klynge.projects.choices import OutcomeKind, PartnerRole
from klynge.projects.filters import ProjectFilter
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from klynge.projects.selectors import _role_rank as role_rank
from klynge.projects.selectors import project_list


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["id", "organisation", "organisation_name", "role", "budget"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectOutcome
        fields = ["id", "kind", "date", "description", "recorded_by", "created_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    partners = PartnerSerializer(source="partnerships", many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    partner_count = serializers.IntegerField(read_only=True)
    company_count = serializers.IntegerField(read_only=True)
    outcome_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "title", "acronym", "kind", "status", "description", "programme",
                  "call_identifier", "submitted_on", "start_date", "end_date", "budget", "hub",
                  "focus_areas", "responsible", "partners", "outcomes", "partner_count",
                  "company_count", "outcome_count", "created_at", "updated_at"]
        read_only_fields = fields


class ProjectWriteSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A project's fields; the rules are the service's (klynge.projects.services)."""

    responsible = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(role__in=CLUSTER_TEAM, is_active=True),
        required=False, allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                      allow_null=True, min_value=0)

    class Meta:
        model = Project
        fields = ["title", "acronym", "kind", "status", "description", "programme",
                  "call_identifier", "submitted_on", "start_date", "end_date", "budget", "hub",
                  "focus_areas", "responsible"]


class PartnerWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=PartnerRole.choices, default=PartnerRole.PARTNER)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                      allow_null=True)


class PartnerChangeSerializer(StrictSerializerMixin, serializers.Serializer):
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                      allow_null=True)


class ProjectOutcomeWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    date = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


PARTNER_ID = OpenApiParameter("partner_id", int, OpenApiParameter.PATH,
                              description=str(_("The partner row's id.")))
OUTCOME_ID = OpenApiParameter("outcome_id", int, OpenApiParameter.PATH,
                              description=str(_("The outcome's id.")))


@extend_schema_view(
    list=extend_schema(summary="List projects",
                       responses={200: ProjectSerializer}),
    retrieve=extend_schema(summary="One project",
                           responses={200: ProjectSerializer}),
)
@access(TEAM_AND_MEMBERS)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Projects, EU applications and joint projects with other clusters, with partners and
    outcomes.

    The cluster team reads and writes all; members read the projects their organisation is a
    partner in. Filters and sorting are the project list's. Writes go through the project
    services: the same rules (a title; it ends after it starts; a sent EU application has a
    submission day; one coordinator; an organisation is a partner once; outcomes not in the
    future) and the same audit entries, on the project, as the staff pages.
    """

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        queryset = project_list().prefetch_related(
            "focus_areas",
            Prefetch("partnerships",
                     queryset=ProjectPartner.objects.select_related("organisation")
                     .annotate(role_rank=role_rank())
                     .order_by("role_rank", "organisation__name", "pk")),
            Prefetch("outcomes", queryset=ProjectOutcome.objects.order_by("-date", "-pk")),
        ).order_by("-start_date", "-submitted_on", "title", "pk")
        if not is_team(self.request.user):
            organisation_id = getattr(self.request.user, "organisation_id", None) or 0
            queryset = queryset.filter(pk__in=ProjectPartner.objects.filter(
                organisation_id=organisation_id).values("project_id"))
        return queryset

    def _answer(self, project, code=status.HTTP_200_OK):
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk)).data,
                        status=code)

    @extend_schema(summary="Register a project", request=ProjectWriteSerializer,
                   responses={201: ProjectSerializer})
    def create(self, request):
        serializer = ProjectWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        focus_areas = data.pop("focus_areas", None)
        project = services.project_create(actor=request.user, data=data,
                                          focus_areas=focus_areas)
        return self._answer(project, status.HTTP_201_CREATED)

    def _update(self, request, pk, partial: bool):
        project = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ProjectWriteSerializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        focus_areas = data.pop("focus_areas", None)
        services.project_update(project=project, actor=request.user, data=data,
                                focus_areas=focus_areas)
        return self._answer(project)

    @extend_schema(summary="Change a project (every field)", request=ProjectWriteSerializer,
                   responses={200: ProjectSerializer})
    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    @extend_schema(summary="Change some fields of a project", request=ProjectWriteSerializer,
                   responses={200: ProjectSerializer})
    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)

    @extend_schema(summary="Delete a project with its partners and outcomes", request=None,
                   responses={204: None})
    def destroy(self, request, pk=None):
        """The audit entry keeps a full snapshot; the KPIs no longer count the project."""
        project = get_object_or_404(self.get_queryset(), pk=pk)
        services.project_delete(project=project, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Add a partner", request=PartnerWriteSerializer,
                   responses={201: PartnerSerializer})
    @action(detail=True, methods=["post"])
    def partners(self, request, pk=None):
        project = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = PartnerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = services.partner_add(project=project, organisation=data["organisation"],
                                       actor=request.user, role=data["role"],
                                       budget=data.get("budget"))
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def _partner(self, pk, partner_id) -> ProjectPartner:
        project = get_object_or_404(self.get_queryset(), pk=pk)
        return get_object_or_404(
            ProjectPartner.objects.select_related("project", "organisation"),
            project=project, pk=partner_id)

    @extend_schema(summary="Change a partner's role or budget", request=PartnerChangeSerializer,
                   parameters=[PARTNER_ID],
                   responses={200: PartnerSerializer}, methods=["PATCH"])
    @extend_schema(summary="Take a partner out of the project", request=None,
                   parameters=[PARTNER_ID], responses={204: None},
                   methods=["DELETE"])
    @action(detail=True, methods=["patch", "delete"],
            url_path=r"partners/(?P<partner_id>[0-9]+)")
    def partner(self, request, pk=None, partner_id=None):
        partner = self._partner(pk, partner_id)
        if request.method == "DELETE":
            services.partner_remove(partner=partner, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = PartnerChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = services.partner_update(partner=partner, actor=request.user,
                                          role=data["role"], budget=data.get("budget"))
        return Response(PartnerSerializer(partner).data)

    @extend_schema(summary="Record an outcome", request=ProjectOutcomeWriteSerializer,
                   responses={201: OutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        """KPI 5 counts commercial use and new companies in the year of their date."""
        project = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ProjectOutcomeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.outcome_record(project=project, actor=request.user,
                                          kind=data["kind"], date=data["date"],
                                          description=data.get("description", ""))
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Delete an outcome recorded by mistake", request=None,
                   parameters=[OUTCOME_ID], responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"outcomes/(?P<outcome_id>[0-9]+)")
    def outcome(self, request, pk=None, outcome_id=None):
        project = get_object_or_404(self.get_queryset(), pk=pk)
        outcome = get_object_or_404(ProjectOutcome.objects.select_related("project"),
                                    project=project, pk=outcome_id)
        services.outcome_delete(outcome=outcome, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("projects", ProjectViewSet, basename="project")
