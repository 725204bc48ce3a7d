"""The core's models: users with roles, the audit log and the progress of long jobs."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.core.roles import CLUSTER_TEAM, Role


class TimeStampedModel(models.Model):
    """Every record knows when it was made and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("role", Role.MEMBER)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in to Klynge, identified by e-mail.

    The role decides what they may do. Staff belong to a hub (their lists start filtered to
    it); members belong to an organisation and have member access only while that
    organisation holds a current membership. `person` links the login to the person record in
    the registry when there is one.
    """

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    hub = models.ForeignKey(
        "ecosystem.Hub", verbose_name=_("hub"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="staff_users",
    )
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="users",
    )
    person = models.OneToOneField(
        "ecosystem.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_cluster_team(self) -> bool:
        return self.role in CLUSTER_TEAM

    @property
    def sees_all_hubs(self) -> bool:
        return self.role in {Role.ADMINISTRATOR, Role.MANAGEMENT}

    def has_member_access(self, on: "timezone.datetime | None" = None) -> bool:
        """People of a member organisation inherit member access from its membership."""
        if self.role != Role.MEMBER or self.organisation_id is None:
            return False
        day = (on or timezone.localdate())
        return self.organisation.memberships.current(day).exists()


class AuditEntry(models.Model):
    """One thing that happened to one record: who did what, when, with which data.

    Written only through `klynge.core.audit.log_action`, from services. Rows are never
    deleted; erasure of a person redacts the personal data in `data` instead.
    """

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=120, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def event(self) -> str:
        """The last part of the action name (created, updated, merged...)."""
        return self.action.rsplit(".", 1)[-1]


class Job(TimeStampedModel):
    """The progress of a long job (an import, a report, a solver run).

    The worker updates `done` as it goes, so the page and the CLI can both show progress.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.TextField(_("message"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    def advance(self, done: int, *, every: int = 200) -> None:
        """Record progress, writing to the database at most once per `every` rows."""
        self.done = done
        if done % every == 0 or done >= self.total:
            Job.objects.filter(pk=self.pk).update(done=done, status=self.Status.RUNNING)
