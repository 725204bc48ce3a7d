"""The demo's logins: one per role (printed for the person trying the demo) and the cluster's
other staff, who own interactions but cannot sign in.

Administrator and management must use two-factor authentication; their demo logins get a
TOTP authenticator with a fixed, printed secret (`klynge totp EMAIL` shows the current code).
"""

from dataclasses import dataclass
from datetime import date

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from klynge.core.roles import Role
from klynge.demo.builder.context import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, transliterate
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.ecosystem.models import Hub, Membership, Person

#: The demo logins, one per role, in the order they are printed.
DEMO_LOGINS = (
    (f"admin@{DEMO_DOMAIN}", Role.ADMINISTRATOR),
    (f"ledelse@{DEMO_DOMAIN}", Role.MANAGEMENT),
    (f"staff@{DEMO_DOMAIN}", Role.STAFF),
    (f"medlem@{DEMO_DOMAIN}", Role.MEMBER),
    (f"tilskud@{DEMO_DOMAIN}", Role.GRANT_GIVER),
)
STAFF_HUB = "Aarhus"
MFA_ROLES = {Role.ADMINISTRATOR, Role.MANAGEMENT}


@dataclass(frozen=True)
class DemoLogin:
    """A demo login as printed: e-mail, role, password and what else to know."""

    email: str
    role: str
    password: str
    note: str


def build_logins(ctx, hubs: dict[str, Hub], specs: list[OrganisationSpec]) -> list:
    """Create the five demo logins and the staff of each hub; returns the staff users who
    log interactions (the demo staff login among them)."""
    User = get_user_model()
    fake = ctx.faker("logins")
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    users = {}
    for email, role in DEMO_LOGINS:
        user = User(email=email, role=role, first_name=fake.first_name(),
                    last_name=fake.last_name(), password=password)
        if role == Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
        if role == Role.STAFF:
            user.hub = hubs.get(STAFF_HUB)
        users[role] = user
    _link_member(users[Role.MEMBER], specs, ctx.anchor)
    for user in users.values():
        user.save()
    for role in sorted(MFA_ROLES):
        TOTP.activate(users[role], DEMO_TOTP_SECRET)
    staff = [users[Role.STAFF]]
    others = []
    used = {email for email, _ in DEMO_LOGINS}
    for hub in hubs.values():
        for _index in range(ctx.sizes.staff_per_hub):
            first, last = fake.first_name(), fake.last_name()
            email = _unique(transliterate(f"{first}.{last}"), used)
            user = User(email=email, role=Role.STAFF, first_name=first, last_name=last,
                        hub=hub)
            user.set_unusable_password()
            others.append(user)
    User.objects.bulk_create(others)
    return staff + others


def _unique(local: str, used: set[str]) -> str:
    candidate, number = f"{local}@{DEMO_DOMAIN}", 2
    while candidate in used:
        candidate, number = f"{local}{number}@{DEMO_DOMAIN}", number + 1
    used.add(candidate)
    return candidate


def _link_member(user, specs: list[OrganisationSpec], anchor: date) -> None:
    """The member login belongs to a generated company that has paid since 2021 (in the
    staff hub if possible), and is the login of that company's first person."""
    loyal = set(
        Membership.objects.paying_on(anchor).filter(
            organisation__memberships__status="paying",
            organisation__memberships__start_date__lte=date(2021, 12, 31),
        ).values_list("organisation_id", flat=True)
    )
    # A generated company, so the demo never signs in on behalf of a real one.
    companies = [s for s in specs if s.pk in loyal and s.kind == "company"
                 and s.source == "generated"]
    current = set(Membership.objects.paying_on(anchor).values_list("organisation_id", flat=True))
    candidates = (
        [s for s in companies if s.hub_name == STAFF_HUB] or companies
        or [s for s in specs if s.pk in current]
    )
    for spec in candidates:
        person = Person.objects.filter(
            affiliations__organisation_id=spec.pk, affiliations__is_primary=True,
            user__isnull=True,
        ).order_by("pk").first()
        if person is not None:
            user.organisation_id = spec.pk
            user.person = person
            user.first_name, user.last_name = person.first_name, person.last_name
            return


def demo_logins() -> list[DemoLogin]:
    """The demo logins that exist, with what to print beside each."""
    User = get_user_model()
    found = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in DEMO_LOGINS])
             .select_related("hub", "organisation")}
    rows = []
    for email, _role in DEMO_LOGINS:
        user = found.get(email)
        if user is None:
            continue
        rows.append(DemoLogin(email, str(Role(user.role).label), DEMO_PASSWORD,
                              _note(user)))
    return rows


def _note(user) -> str:
    if user.role in MFA_ROLES:
        return _("TOTP secret %(secret)s; `klynge totp %(email)s` prints the current code") % {
            "secret": DEMO_TOTP_SECRET, "email": user.email}
    if user.role == Role.STAFF and user.hub:
        return _("hub %(hub)s") % {"hub": user.hub.name}
    if user.role == Role.MEMBER and user.organisation:
        return _("member at %(organisation)s") % {"organisation": user.organisation.name}
    return ""
