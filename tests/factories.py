"""factory_boy factories for the registry and users. Tests build records with these."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model

from klynge.core.roles import Role
from klynge.ecosystem.domain.identifiers import cvr_check_digit_for
from klynge.ecosystem.models import (
    Affiliation,
    FocusArea,
    Hub,
    Interaction,
    Membership,
    MembershipTier,
    Organisation,
    Person,
)

PASSWORD = "klynge-test-pw-1"

_cvr_seed = itertools.count(1000000)


def next_cvr() -> str:
    """A fresh CVR number that passes the modulus-11 check."""
    while True:
        candidate = cvr_check_digit_for(f"{next(_cvr_seed) % 9000000 + 1000000:07d}")
        if candidate:
            return candidate


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Hub {n}")
    city = "Aarhus"
    region = "midtjylland"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    name_en = factory.Sequence(lambda n: f"Focus {n}")
    name_da = factory.Sequence(lambda n: f"Fokus {n}")
    kind = "focus_area"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} ApS")
    kind = "company"
    cvr = factory.LazyFunction(next_cvr)
    country = "DK"
    employee_band = "10-49"
    postcode = "8000"
    city = "Aarhus C"
    region = "midtjylland"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Hansen"
    email = factory.Sequence(lambda n: f"person{n}@example.dk")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "CEO"
    is_primary = True


class MembershipTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipTier
        django_get_or_create = ("name",)

    name = "Small company"
    annual_fee = 5000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    tier = factory.SubFactory(MembershipTierFactory)
    annual_fee = 5000
    start_date = date(2021, 1, 1)
    end_date = None
    status = "paying"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    kind = "call"
    date = date(2025, 3, 1)
    organisation = factory.SubFactory(OrganisationFactory)
    subject = factory.Sequence(lambda n: f"Call {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@klynge.test")
    first_name = "Test"
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def totp_for(user):
    """Give a user a TOTP authenticator (as MFA requires for administrators and management)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret())


def user_with_role(role: str, **extra):
    """A user of `role` who can use the product at once (MFA set up, member access granted)."""
    if role == Role.MEMBER and "organisation" not in extra:
        extra["organisation"] = MembershipFactory().organisation
    if role == Role.STAFF and "hub" not in extra:
        extra["hub"] = HubFactory(name="Hub Aarhus")
    user = UserFactory(role=role, email=f"{role}-{next(_cvr_seed)}@klynge.test", **extra)
    if role in (Role.ADMINISTRATOR, Role.MANAGEMENT):
        totp_for(user)
    if role == Role.ADMINISTRATOR:
        user.is_staff = True
        user.is_superuser = True
        user.save()
    return user
