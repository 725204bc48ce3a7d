"""The unsubscribe link: signed per person and purpose; forged tokens change nothing."""

import pytest
from django.core import signing
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.privacy import services
from klynge.privacy.models import Consent
from klynge.privacy.selectors import has_consent
from klynge.privacy.tokens import SALT, read_unsubscribe_token, unsubscribe_path, unsubscribe_token
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MC = "member_communication"


def test_a_token_names_the_person_and_purpose():
    person = PersonFactory()

    asked = read_unsubscribe_token(unsubscribe_token(person=person, purpose=MC))

    assert (asked.person_id, asked.purpose) == (person.pk, MC)


def test_get_asks_for_confirmation_and_writes_nothing(client):
    person = PersonFactory(first_name="Mette")
    services.consent_give(person=person, purpose=MC, source="staff")

    response = client.get(unsubscribe_path(person=person, purpose=MC))

    assert response.status_code == 200
    assert "Mette, do you want to stop receiving" in response.content.decode()
    assert has_consent(person, MC) is True
    assert Consent.objects.count() == 1


def test_post_withdraws_the_consent(client):
    person = PersonFactory()
    services.consent_give(person=person, purpose=MC, source="staff")

    response = client.post(unsubscribe_path(person=person, purpose=MC))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert has_consent(person, MC) is False
    latest = Consent.objects.filter(person=person).first()
    assert (latest.granted, latest.source) == (False, "unsubscribe_link")


@pytest.mark.parametrize("token", [
    "4242",
    "not-a-token",
    "forged",  # replaced below by a token signed with another salt
    "tampered",  # replaced below by a real token with its payload changed
])
def test_a_forged_token_is_refused_and_nothing_is_written(client, token):
    person = PersonFactory()
    services.consent_give(person=person, purpose=MC, source="staff")
    if token == "forged":
        token = signing.dumps({"p": person.pk, "u": MC}, salt="another.salt", compress=True)
    elif token == "tampered":
        real = unsubscribe_token(person=PersonFactory(), purpose=MC)
        payload, rest = real.split(":", 1)
        fake = signing.dumps({"p": person.pk, "u": MC}, salt=SALT, compress=True)
        token = fake.split(":", 1)[0] + ":" + rest
    before = AuditEntry.objects.count()

    get = client.get(reverse("privacy:unsubscribe", args=[token]))
    post = client.post(reverse("privacy:unsubscribe", args=[token]))

    for response in (get, post):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert Consent.objects.count() == 1
    assert AuditEntry.objects.count() == before
    assert has_consent(person, MC) is True


def test_a_token_for_a_deleted_person_is_refused(client):
    person = PersonFactory()
    token = unsubscribe_token(person=person, purpose=MC)
    person.delete()

    response = client.post(reverse("privacy:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert Consent.objects.count() == 0


def test_unsubscribing_twice_writes_one_row(client):
    person = PersonFactory()
    services.consent_give(person=person, purpose=MC, source="staff")
    url = unsubscribe_path(person=person, purpose=MC)

    client.post(url)
    client.post(url)
    response = client.get(url)

    assert Consent.objects.filter(person=person, granted=False).count() == 1
    assert "You have already unsubscribed" in response.content.decode()
