"""Danish is the default language; English is one click away; the catalogue is complete."""

from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings

CATALOGUE = Path(django_settings.BASE_DIR, "klynge", "locale", "da", "LC_MESSAGES", "django.po")


@pytest.mark.django_db
def test_pages_are_danish_by_default_and_english_on_request(staff_client, settings):
    settings.LANGUAGE_CODE = "da"

    danish = staff_client.get("/ecosystem/organisations/").content.decode()
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = staff_client.get("/ecosystem/organisations/").content.decode()

    assert '<html lang="da">' in danish and "Organisationer" in danish
    assert '<html lang="en">' in english and "New organisation" in english


def test_every_message_has_a_danish_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [] and fuzzy == []


@pytest.mark.django_db
def test_an_english_browser_still_gets_danish_until_it_switches(client, settings):
    settings.LANGUAGE_CODE = "da"

    first = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    second = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="da">' in first.content.decode()
    assert '<html lang="en">' in second.content.decode()
    assert "Accounts are made by the cluster" in second.content.decode()
