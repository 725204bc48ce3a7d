"""Shared fixtures: a signed-in client per role, and the real data folder."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from klynge.core.roles import Role
from tests.factories import user_with_role


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Tests make many users; the production hasher would make the suite take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # allauth keeps its login rate limits in the cache: a clean one per test.
    cache.clear()
    # Tests read messages in English; tests/core/test_i18n.py checks the Danish default.
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The matchmaking index lives per process: each test starts without one (primary keys
    # are reused after a rollback, so an old index could look current).
    from klynge.matchmaking.index import reset

    reset()


@pytest.fixture
def data_dir() -> Path:
    """../shared/data, or skip with a clear message where it is absent (CI always has it)."""
    path = Path(settings.KLYNGE_DATA_DIR)
    if not path.is_dir():
        pytest.skip(f"real data folder {path} is absent")
    return path


def _client_for(client, role):
    user = user_with_role(role)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def staff_client(client, db):
    return _client_for(client, Role.STAFF)


@pytest.fixture
def management_client(client, db):
    return _client_for(client, Role.MANAGEMENT)


@pytest.fixture
def admin_client(client, db):  # noqa: F811 - replaces pytest-django's, with a role
    return _client_for(client, Role.ADMINISTRATOR)


@pytest.fixture
def member_client(client, db):
    return _client_for(client, Role.MEMBER)
