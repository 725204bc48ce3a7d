"""`klynge check --deploy` with the production environment of docs/operations.md ("Security")."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
SECRET = "k" * 20 + "-production-secret-for-the-deploy-check-0123456789"


def _production_environment(tmp_path, **overrides) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("KLYNGE_", "DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KLYNGE_VAR_DIR": str(tmp_path),
        "KLYNGE_DEBUG": "0",
        "KLYNGE_SECRET_KEY": SECRET,
        "KLYNGE_ALLOWED_HOSTS": "klynge.example.org",
        "KLYNGE_CSRF_TRUSTED_ORIGINS": "https://klynge.example.org",
        "KLYNGE_SSL_REDIRECT": "1",
        "KLYNGE_HSTS_PRELOAD": "1",
        "KLYNGE_PROXY_COUNT": "1",
    })
    env.update(overrides)
    return env


def _check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_deploy_check_passes_with_the_documented_production_environment(tmp_path):
    result = _check(_production_environment(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_deploy_check_fails_without_https_redirect_and_hsts_preload(tmp_path):
    env = _production_environment(tmp_path, KLYNGE_SSL_REDIRECT="0", KLYNGE_HSTS_PRELOAD="0")

    result = _check(env)

    assert result.returncode == 1
    assert sorted(re.findall(r"security\.W\d+", result.stderr + result.stdout)) == [
        "security.W008", "security.W021",
    ]


def test_production_refuses_to_start_on_the_public_development_key(tmp_path):
    env = _production_environment(tmp_path)
    del env["KLYNGE_SECRET_KEY"]

    result = _check(env)

    assert result.returncode == 1
    assert "Set KLYNGE_SECRET_KEY to a random value of 50 or more characters" in result.stderr


def test_operations_documents_every_variable_the_deploy_check_needs(tmp_path):
    security = OPERATIONS.read_text(encoding="utf-8").split("## Security", 1)
    assert len(security) == 2, "docs/operations.md has no Security section"
    for name in ("KLYNGE_DEBUG", "KLYNGE_SECRET_KEY", "KLYNGE_ALLOWED_HOSTS",
                 "KLYNGE_CSRF_TRUSTED_ORIGINS", "KLYNGE_SSL_REDIRECT", "KLYNGE_HSTS_PRELOAD",
                 "KLYNGE_PROXY_COUNT", "SECURE_PROXY_SSL_HEADER"):
        assert name in security[1], name


@pytest.mark.django_db
def test_local_development_keeps_plain_http_with_debug(settings):
    # The test run uses the defaults `make run` uses: no HTTPS redirect, no HSTS.
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SESSION_COOKIE_SECURE is False
