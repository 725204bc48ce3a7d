"""The REST API's endpoints of the registry (registered on /api/v1/ by klynge.api.urls).

Lists take the same filters as the registry pages (the FilterSets of klynge.ecosystem.filters:
`?q=` searches, `?ordering=` sorts by the fields the pages sort by). Writes go through the same
services as the pages, with the same rules and the same audit entries; updates of versioned
records (organisations, people) require the `version` read, and answer 409 when the record
changed since. Nothing is deleted through the API: duplicates are merged in the application.

Members (of an organisation with a current membership) read their OWN organisation, its people
and memberships through the same endpoints, and nothing else; they write nothing here.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from klynge.core.api import StrictSerializerMixin, VersionField, version_required
from klynge.core.api_views import MemberScopedViewSet, is_member
from klynge.core.permissions import access
from klynge.core.roles import TEAM_AND_MEMBERS
from klynge.ecosystem import selectors, services
from klynge.ecosystem.api_reference import (
    AffiliationViewSet,
    FocusAreaViewSet,
    HubViewSet,
    MembershipTierViewSet,
)
from klynge.ecosystem.choices import MembershipStatus, Size
from klynge.ecosystem.filters import MembershipFilter, OrganisationFilter, PersonFilter
from klynge.ecosystem.models import (
    Affiliation,
    FocusArea,
    Hub,
    IndustryCode,
    Membership,
    MembershipTier,
    Organisation,
    Person,
)

# --- organisations ---------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    size = serializers.ChoiceField(choices=Size.choices, read_only=True,
                                   help_text=_("SME or large (EU head-count line)."))
    membership_status = serializers.ChoiceField(
        choices=MembershipStatus.choices, read_only=True, allow_null=True,
        help_text=_("The status of the membership running today; null when not a member."),
    )
    people_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "kind", "cvr", "country", "vat_number", "employee_band", "size",
            "is_startup", "founded_year", "industry", "address", "postcode", "city",
            "municipality", "region", "hub", "website", "description", "focus_areas",
            "competences", "offers", "seeks", "directory_listed", "directory_fields",
            "membership_status", "people_count", "version", "created_at", "updated_at",
        ]
        read_only_fields = fields


class OrganisationWriteSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    # Wider than the column: the service explains what is wrong with a CVR number.
    cvr = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                max_length=20, help_text=_("8 digits, modulus-11 checked."))
    country = serializers.CharField(required=False, max_length=2, min_length=2,
                                    help_text=_("ISO 3166 code; DK by default."))
    hub = serializers.PrimaryKeyRelatedField(queryset=Hub.objects.all(), required=False,
                                             allow_null=True)
    industry = serializers.PrimaryKeyRelatedField(queryset=IndustryCode.objects.all(),
                                                  required=False, allow_null=True)
    focus_areas = serializers.PrimaryKeyRelatedField(
        queryset=FocusArea.objects.filter(is_active=True), many=True, required=False
    )
    version = VersionField(required=False)

    class Meta:
        model = Organisation
        fields = [*services.ORGANISATION_FIELDS, "focus_areas", "version"]
        validators: list = []  # the service checks uniqueness, with a message


@extend_schema_view(
    list=extend_schema(summary=_("List organisations")),
    retrieve=extend_schema(summary=_("One organisation")),
    create=extend_schema(summary=_("Register an organisation"),
                         request=OrganisationWriteSerializer,
                         responses={201: OrganisationSerializer}),
    update=extend_schema(summary=_("Change an organisation (all fields)"),
                         request=OrganisationWriteSerializer,
                         responses={200: OrganisationSerializer}),
    partial_update=extend_schema(summary=_("Change some fields of an organisation"),
                                 request=OrganisationWriteSerializer,
                                 responses={200: OrganisationSerializer}),
)
@access(TEAM_AND_MEMBERS)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, mixins.UpdateModelMixin, MemberScopedViewSet):
    """Organisations of the registry.

    Cluster team: read and write every organisation. Members: read their own organisation only
    (any other answers 404); no writes. Filters as on the organisations page: `q` (name, CVR,
    city, VAT number, description), `kind` (or `knowledge` for every knowledge institution),
    `size`, `region`, `hub`, `focus_area`, `membership` (a status, or `none`); `ordering` by
    name, cvr, kind, region, hub, created, size or membership (`-` for descending).
    Updates require `version`; a CVR number is checked (modulus 11, unique) as on the pages.
    There is no DELETE: duplicates are merged in the application.
    """

    filterset_class = OrganisationFilter
    serializer_class = OrganisationSerializer

    def base_queryset(self):
        return selectors.organisation_list().prefetch_related("focus_areas").order_by(
            "name", "pk"
        )

    def member_scope(self, queryset, organisation_id):
        return queryset.filter(pk=organisation_id)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return OrganisationWriteSerializer
        return OrganisationSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        focus_areas = data.pop("focus_areas", None)
        organisation = services.organisation_create(
            actor=request.user, data=data, focus_areas=focus_areas
        )
        body = OrganisationSerializer(self.refetched(organisation)).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        version_required(request)
        serializer = self.get_serializer(organisation, data=request.data,
                                         partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        focus_areas = data.pop("focus_areas", None)
        services.organisation_update(
            organisation=organisation, actor=request.user, data=data,
            focus_areas=focus_areas, version=version,
        )
        return Response(OrganisationSerializer(self.refetched(organisation)).data)


# --- people ----------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    primary_organisation = serializers.IntegerField(
        source="primary_organisation_id", read_only=True, allow_null=True,
        help_text=_("The organisation of the person's primary affiliation."),
    )
    primary_organisation_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id", "first_name", "last_name", "email", "phone", "job_title", "language", "notes",
            "primary_organisation", "primary_organisation_name", "erased_at", "version",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class MemberPersonSerializer(PersonSerializer):
    """A person as a member sees them: no internal notes, no other organisations."""

    class Meta(PersonSerializer.Meta):
        fields = ["id", "first_name", "last_name", "email", "phone", "job_title", "language",
                  "erased_at", "version", "created_at", "updated_at"]
        read_only_fields = fields


class PersonWriteSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    email = serializers.EmailField(max_length=254)
    version = VersionField(required=False)

    class Meta:
        model = Person
        fields = [*services.PERSON_FIELDS, "version"]


class PersonCreateSerializer(PersonWriteSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True,
        help_text=_("Affiliate the new person with this organisation (primary)."),
    )
    role = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                 help_text=_("The person's role at the organisation."))

    class Meta(PersonWriteSerializer.Meta):
        fields = [*services.PERSON_FIELDS, "organisation", "role"]


@extend_schema_view(
    list=extend_schema(summary=_("List people"),
                       responses={200: PersonSerializer(many=True)}),
    retrieve=extend_schema(summary=_("One person"), responses={200: PersonSerializer}),
    create=extend_schema(summary=_("Register a person"), request=PersonCreateSerializer,
                         responses={201: PersonSerializer}),
    update=extend_schema(summary=_("Change a person (all fields)"),
                         request=PersonWriteSerializer, responses={200: PersonSerializer}),
    partial_update=extend_schema(summary=_("Change some fields of a person"),
                                 request=PersonWriteSerializer,
                                 responses={200: PersonSerializer}),
)
@access(TEAM_AND_MEMBERS)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, MemberScopedViewSet):
    """People of the registry.

    Cluster team: read and write everyone. Members: read the people affiliated with their own
    organisation only, without internal notes or other organisations (anyone else answers 404);
    no writes. Filters as on the people page: `q` (name, e-mail, job title, phone), `hub`,
    `language`; `ordering` by name, email, organisation or created. The e-mail address is
    unique (case-insensitive). Updates require `version`. There is no DELETE: erasure on
    request is a privacy procedure in the application.
    """

    filterset_class = PersonFilter

    def base_queryset(self):
        return selectors.person_list().order_by("last_name", "first_name", "pk")

    def member_scope(self, queryset, organisation_id):
        return queryset.filter(
            pk__in=Affiliation.objects.filter(organisation_id=organisation_id)
            .values("person_id")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return PersonCreateSerializer
        if self.action in ("update", "partial_update"):
            return PersonWriteSerializer
        return MemberPersonSerializer if is_member(self.request.user) else PersonSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None)
        role = data.pop("role", "")
        person = services.person_create(actor=request.user, data=data,
                                        organisation=organisation, role=role)
        body = PersonSerializer(self.refetched(person)).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        person = self.get_object()
        version_required(request)
        serializer = self.get_serializer(person, data=request.data,
                                         partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        services.person_update(person=person, actor=request.user, data=data, version=version)
        return Response(PersonSerializer(self.refetched(person)).data)


# --- memberships -----------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(
        help_text=_("Whether the period runs today.")
    )

    class Meta:
        model = Membership
        fields = ["id", "organisation", "tier", "annual_fee", "start_date", "end_date",
                  "status", "is_current", "notes", "created_at", "updated_at"]
        read_only_fields = fields

    def get_is_current(self, membership) -> bool:
        return membership.is_current()


class MemberMembershipSerializer(MembershipSerializer):
    """A membership as the member sees it: no internal notes."""

    class Meta(MembershipSerializer.Meta):
        fields = ["id", "organisation", "tier", "annual_fee", "start_date", "end_date",
                  "status", "is_current", "created_at", "updated_at"]
        read_only_fields = fields


class MembershipWriteSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    tier = serializers.PrimaryKeyRelatedField(queryset=MembershipTier.objects.all(),
                                              required=False, allow_null=True)
    annual_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text=_("DKK per year; the tier's standard fee when left out."),
    )
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)

    class Meta:
        model = Membership
        fields = ["tier", "annual_fee", "start_date", "end_date", "status", "notes"]


class MembershipCreateSerializer(MembershipWriteSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta(MembershipWriteSerializer.Meta):
        fields = ["organisation", *MembershipWriteSerializer.Meta.fields]


class MembershipRenewSerializer(StrictSerializerMixin, serializers.Serializer):
    years = serializers.IntegerField(min_value=1, max_value=10, default=1,
                                     help_text=_("How many years the new period runs."))


@extend_schema_view(
    list=extend_schema(summary=_("List membership periods"),
                       responses={200: MembershipSerializer(many=True)}),
    retrieve=extend_schema(summary=_("One membership period"),
                           responses={200: MembershipSerializer}),
    create=extend_schema(summary=_("Add a membership period"),
                         request=MembershipCreateSerializer,
                         responses={201: MembershipSerializer}),
    update=extend_schema(summary=_("Change a membership period (all fields)"),
                         request=MembershipWriteSerializer,
                         responses={200: MembershipSerializer}),
    partial_update=extend_schema(summary=_("Change a membership period, e.g. end it"),
                                 request=MembershipWriteSerializer,
                                 responses={200: MembershipSerializer}),
)
@access(TEAM_AND_MEMBERS)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, MemberScopedViewSet):
    """Membership periods.

    Cluster team: read and write every membership; end one by setting `end_date`, renew one
    with POST …/renew/. Periods of one organisation never overlap. Members: read their own
    organisation's memberships only, without internal notes (others answer 404); no writes.
    Filters as on the memberships page: `q`, `status`, `tier`, `hub`, `running_on` (a date);
    `ordering` by start, end, organisation or fee. There is no DELETE.
    """

    filterset_class = MembershipFilter

    def base_queryset(self):
        return Membership.objects.order_by("-start_date", "pk")

    def member_scope(self, queryset, organisation_id):
        return queryset.filter(organisation_id=organisation_id)

    def get_serializer_class(self):
        if self.action == "create":
            return MembershipCreateSerializer
        if self.action in ("update", "partial_update"):
            return MembershipWriteSerializer
        if self.action == "renew":
            return MembershipRenewSerializer
        return MemberMembershipSerializer if is_member(self.request.user) else MembershipSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        membership = services.membership_create(organisation=organisation, actor=request.user,
                                                data=data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data,
                                         partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.membership_update(membership=membership, actor=request.user,
                                   data=dict(serializer.validated_data))
        membership.refresh_from_db()
        return Response(MembershipSerializer(membership).data)

    @extend_schema(summary=_("Renew a membership period"), request=MembershipRenewSerializer,
                   responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """A new period starting the day after this one ends, with the same tier and fee."""
        membership = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        renewed = services.membership_renew(membership=membership, actor=request.user,
                                            years=serializer.validated_data["years"])
        return Response(MembershipSerializer(renewed).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("people", PersonViewSet, basename="person")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("affiliations", AffiliationViewSet, basename="affiliation")
    router.register("hubs", HubViewSet, basename="hub")
    router.register("focus-areas", FocusAreaViewSet, basename="focus-area")
    router.register("membership-tiers", MembershipTierViewSet, basename="membership-tier")

