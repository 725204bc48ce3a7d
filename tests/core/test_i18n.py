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
