"""The staff page of a person's consents."""

import pytest
from django.urls import reverse

from klynge.privacy import services
from klynge.privacy.models import Consent
from klynge.privacy.selectors import has_consent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_every_purpose_and_the_history(staff_client):
    person = PersonFactory(first_name="Ida", last_name="Holm")
    services.consent_give(person=person, purpose="newsletter", source="public_signup")

    response = staff_client.get(reverse("privacy:person_consents", args=[person.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Consents of Ida Holm" in html
    assert "Sharing with grant givers" in html
    assert "Public sign-up page" in html


def test_staff_give_and_withdraw(staff_client):
    person = PersonFactory()
    url = reverse("privacy:person_consents", args=[person.pk])

    response = staff_client.post(url, {"purpose": "member_communication", "action": "give",
                                       "legal_basis": "consent", "note": "at the seminar"})
    assert response.status_code == 302
    assert has_consent(person, "member_communication") is True
    row = Consent.objects.get()
    assert (row.source, row.note, row.recorded_by) == ("staff", "at the seminar",
                                                        staff_client.user)

    staff_client.post(url, {"purpose": "member_communication", "action": "withdraw"})
    assert has_consent(person, "member_communication") is False
    assert Consent.objects.count() == 2


def test_a_bad_post_writes_nothing(staff_client):
    person = PersonFactory()

    response = staff_client.post(
        reverse("privacy:person_consents", args=[person.pk]),
        {"purpose": "telemarketing", "action": "give"},
    )

    assert response.status_code == 200
    assert Consent.objects.count() == 0


def test_members_are_refused(member_client):
    person = PersonFactory()

    response = member_client.get(reverse("privacy:person_consents", args=[person.pk]))

    assert response.status_code == 403
