"""Builders for the introduction tests: a company that seeks computer vision and a university
that offers it (so the recommender has reasons), a contact at each, and introductions."""

from django.utils import timezone

from klynge.matchmaking.models import Introduction
from klynge.matchmaking.services import introductions as services
from klynge.privacy.choices import ConsentSource
from klynge.privacy.choices import Purpose as PrivacyPurpose
from klynge.privacy.services import consent_withdraw
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory


def company(**fields):
    return OrganisationFactory(**{
        "name": "Vision Robotics ApS", "employee_band": "10-49", "region": "midtjylland",
        "competences": "Robot cells for welding",
        "seeks": "Computer vision for quality control", **fields})


def university(**fields):
    return OrganisationFactory(**{
        "name": "Aalborg University", "kind": "university", "employee_band": "250+",
        "region": "nordjylland", "cvr": None,
        "competences": "Computer vision for quality control in manufacturing. Deep learning "
                       "for image recognition.", **fields})


def contact(organisation, *, first_name, language="en", **fields):
    person = PersonFactory(first_name=first_name, last_name=fields.pop("last_name", "Berg"),
                           email=fields.pop("email", f"{first_name.lower()}@example.dk"),
                           language=language, **fields)
    AffiliationFactory(person=person, organisation=organisation)
    return person


def withdraw_visibility(person):
    consent_withdraw(person=person, purpose=PrivacyPurpose.MATCHMAKING_VISIBILITY,
                     source=ConsentSource.STAFF)


def pair():
    """(company, its contact Anna in English, university, its contact Bo in Danish)."""
    a, b = company(), university()
    return a, contact(a, first_name="Anna"), b, contact(b, first_name="Bo", language="da")


def introduce(actor, a, person_a, b, person_b, *, purpose="knowledge", message="", **extra):
    return services.introduction_create(
        actor=actor, organisation_a=a, person_a=person_a, organisation_b=b, person_b=person_b,
        purpose=purpose, message=message, **extra)


def made_on(introduction: Introduction, when) -> Introduction:
    """Date an introduction back (created_at is set on save)."""
    Introduction.objects.filter(pk=introduction.pk).update(created_at=when)
    introduction.refresh_from_db()
    return introduction


def now():
    return timezone.now()
