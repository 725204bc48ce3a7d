"""How the login accounts take part in access requests and erasure.

The core knows no domain app, so the person is used only through `pk`: the account is the
User whose `person_id` is the person's. Erasure deactivates the account and scrubs it: the
e-mail becomes a unique invalid address, names are blanked, the password unusable, and the
API token, the allauth e-mail addresses and MFA authenticators are deleted (so nobody can sign
in as the person again). Audit entries are redacted by the privacy app (core.audit.audit_redact).
"""

from django.apps import apps

from klynge.core.models import User


def _account(person) -> User | None:
    return User.objects.filter(person_id=person.pk).first()


def export_person(person) -> dict[str, list[dict]]:
    user = _account(person)
    if user is None:
        return {"login_account": []}
    return {"login_account": [{
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "role": user.role, "organisation_id": user.organisation_id, "is_active": user.is_active,
        "date_joined": user.date_joined, "last_login": user.last_login,
    }]}


def _delete_related(label: str, user) -> int:
    try:
        model = apps.get_model(label)
    except LookupError:
        return 0
    deleted, _ = model.objects.filter(user=user).delete()
    return deleted


def erase_person(person, *, actor=None) -> dict:
    user = _account(person)
    if user is None:
        return {"login_account": 0}
    user.email = f"erased-user-{user.pk}@invalid.example"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    removed = sum(_delete_related(label, user) for label in (
        "authtoken.Token", "account.EmailAddress", "mfa.Authenticator"))
    return {"login_account": 1, "credentials_removed": removed}


def active_person_ids(*, since):
    """People whose login account signed in on or after `since`."""
    return User.objects.filter(person__isnull=False, last_login__gte=since).values("person_id")
