"""The ecosystem registry: organisations, people, memberships, hubs, taxonomy, interactions."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.ecosystem.choices import (
    ACTIVE_MEMBERSHIP_STATUSES,
    KNOWLEDGE_INSTITUTION_KINDS,
    SME_BANDS,
    EmployeeBand,
    FocusAreaKind,
    InteractionKind,
    Language,
    MembershipStatus,
    OrganisationKind,
    Region,
    Size,
)


class Hub(models.Model):
    """A regional office of the cluster. Staff belong to one; records are assigned to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    """One term of the cluster's taxonomy: a focus area, a technology or a cross-cutting theme.

    Stored as data so that a new strategy period can change it without code; `parent` lets a
    focus area hold its sub-areas. Names are kept in Danish and English.
    """

    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=FocusAreaKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("focus area or theme")
        verbose_name_plural = _("focus areas and themes")
        ordering = ["kind", "position", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_en"], name="focusarea_unique_name")
        ]

    def __str__(self) -> str:
        return self.name_da if (get_language() or "da").startswith("da") else self.name_en


class IndustryCode(models.Model):
    """A code of DB07, the Danish industry classification used by the CVR register."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        verbose_name = _("industry code (DB07)")
        verbose_name_plural = _("industry codes (DB07)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class OrganisationQuerySet(models.QuerySet):
    def companies(self):
        return self.filter(kind=OrganisationKind.COMPANY)

    def with_size(self):
        return self.annotate(
            size_value=models.Case(
                models.When(
                    kind=OrganisationKind.COMPANY, employee_band__in=list(SME_BANDS),
                    then=models.Value(Size.SME),
                ),
                models.When(
                    kind=OrganisationKind.COMPANY, employee_band=EmployeeBand.LARGE,
                    then=models.Value(Size.LARGE),
                ),
                default=models.Value(Size.UNKNOWN),
                output_field=models.CharField(),
            )
        )


class Organisation(TimeStampedModel):
    """A company, knowledge institution, public actor, investor or cluster in the ecosystem.

    Danish organisations are identified by their CVR number (unique among them); foreign ones
    carry a country and a VAT number. The size (SME or large, EU definition) follows from the
    employee band. Competences, offers and seeks are free text in Danish or English and feed
    matchmaking later.
    """

    name = models.CharField(_("name"), max_length=255, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices,
        default=OrganisationKind.COMPANY, db_index=True,
    )
    cvr = models.CharField(_("CVR number"), max_length=8, null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DK")
    vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    employee_band = models.CharField(
        _("employees"), max_length=10, choices=EmployeeBand.choices, blank=True
    )
    is_startup = models.BooleanField(_("startup"), default=False)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    industry = models.ForeignKey(
        IndustryCode, verbose_name=_("industry (DB07)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, db_index=True
    )
    hub = models.ForeignKey(
        Hub, verbose_name=_("hub"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas and themes"), blank=True,
        related_name="organisations",
    )
    competences = models.TextField(_("competences"), blank=True)
    offers = models.TextField(_("offers"), blank=True)
    seeks = models.TextField(_("seeks"), blank=True)
    directory_listed = models.BooleanField(
        _("listed in the member directory"), default=False,
        help_text=_("Shown in the public member directory (only while a member), with the "
                    "fields the organisation chose to publish."),
    )
    directory_fields = models.JSONField(
        _("published in the directory"), default=list, blank=True,
        help_text=_("Which of the profile's fields the public directory shows "
                    "(values of DirectoryField)."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save; guards an edit form against saving over a newer "
                    "change (optimistic locking)."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], condition=Q(cvr__isnull=False), name="organisation_unique_cvr"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size(self) -> str:
        """SME or large by the EU head-count line; only companies have a size."""
        if self.kind != OrganisationKind.COMPANY:
            return Size.UNKNOWN
        if self.employee_band in SME_BANDS:
            return Size.SME
        if self.employee_band == EmployeeBand.LARGE:
            return Size.LARGE
        return Size.UNKNOWN

    def get_size_display(self) -> str:
        return Size(self.size).label

    @property
    def is_knowledge_institution(self) -> bool:
        return self.kind in KNOWLEDGE_INSTITUTION_KINDS

    @property
    def is_danish(self) -> bool:
        return self.country == "DK"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ecosystem:organisation_detail", args=[self.pk])


class Person(TimeStampedModel):
    """A person in the ecosystem, identified by e-mail; affiliated with organisations."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DA
    )
    notes = models.TextField(_("notes"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="people", blank=True
    )
    erased_at = models.DateTimeField(
        _("anonymised"), null=True, blank=True, editable=False,
        help_text=_("When the person's data was erased (anonymised) on request or by a "
                    "retention rule; the record stays so that counted figures do not change."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save; guards an edit form against saving over a newer "
                    "change (optimistic locking)."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ecosystem:person_detail", args=[self.pk])


class Affiliation(models.Model):
    """A person's tie to an organisation: their role there, and from when to when."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=150, blank=True)
    is_primary = models.BooleanField(_("primary"), default=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-is_primary", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class MembershipTier(models.Model):
    """A membership tier with its standard annual fee (edited in the admin)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    annual_fee = models.DecimalField(_("annual fee (DKK)"), max_digits=10, decimal_places=2)
    description = models.CharField(_("description"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("membership tier")
        verbose_name_plural = _("membership tiers")
        ordering = ["position", "annual_fee"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def on(self, day: date):
        """Memberships running on `day` (start on or before it, no end or end on or after)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def current(self, day: date | None = None):
        return self.on(day or timezone.localdate()).filter(
            status__in=list(ACTIVE_MEMBERSHIP_STATUSES)
        )

    def paying_on(self, day: date):
        return self.on(day).filter(status=MembershipStatus.PAYING)


class Membership(TimeStampedModel):
    """One period of an organisation's membership, with its tier, fee and status.

    An organisation has a history of these, so the number of paying members on any date can be
    counted; a renewal is a new period, not an edit of the old one.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    tier = models.ForeignKey(
        MembershipTier, verbose_name=_("tier"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="memberships",
    )
    annual_fee = models.DecimalField(
        _("annual fee (DKK)"), max_digits=10, decimal_places=2, default=0
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices,
        default=MembershipStatus.PAYING, db_index=True,
    )
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["organisation", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()}, {self.start_date:%Y-%m-%d})"

    def is_current(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status in ACTIVE_MEMBERSHIP_STATUSES
            and self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
        )


class Interaction(TimeStampedModel):
    """A visit, call, meeting or e-mail that staff had with an organisation and its people.

    A next step with a follow-up date puts it on the responsible staff member's follow-up list
    until it is marked done.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="interactions",
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), blank=True, related_name="interactions"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="interactions",
    )
    hub = models.ForeignKey(
        Hub, verbose_name=_("hub"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interactions",
    )
    subject = models.CharField(_("subject"), max_length=255)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True, db_index=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_date is not None and self.follow_up_done_at is None


class ImportBatch(TimeStampedModel):
    """One file imported into the registry: its column mapping, dry-run report and result.

    The uploaded file is kept so the dry run and the commit read exactly the same bytes; the
    report lists every bad row by line and column; in "good rows" mode the bad rows are
    written to an error file the user can download, fix and import again.
    """

    class Target(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        PEOPLE = "people", _("People")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: import only if every row is good")
        GOOD_ROWS = "good_rows", _("Good rows only: skip bad rows and write them to an error file")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PREVIEWED = "previewed", _("Checked (dry run)")
        RUNNING = "running", _("Importing")
        COMMITTED = "committed", _("Imported")
        REJECTED = "rejected", _("Not imported: bad rows")
        FAILED = "failed", _("Failed")

    target = models.CharField(_("import into"), max_length=20, choices=Target.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    mode = models.CharField(
        _("mode"), max_length=20, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    error_file = models.FileField(_("error file"), upload_to="imports/errors/", blank=True)
    job = models.OneToOneField(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_batch"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_target_display()})"
