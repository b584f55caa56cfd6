import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_migrations_applied_and_groups_exist():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {"编辑", "审核"} <= names
    assert not Group.objects.get(name="编辑").permissions.filter(codename="publish_article").exists()
    assert Group.objects.get(name="审核").permissions.filter(codename="publish_article").exists()


@pytest.mark.django_db
def test_postgresql_database_has_utf8_ctype():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no ctype")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_encoding_to_char(encoding), datctype FROM pg_database"
                    " WHERE datname = current_database()")
        encoding, ctype = cur.fetchone()
    assert encoding == "UTF8"
    assert "utf" in ctype.lower().replace("-", ""), ctype


@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


def _prod_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.prod", ALLOWED_HOSTS="gaoku.example.com",
               DATABASE_URL="sqlite:///:memory:", **extra)
    return env


def test_check_deploy_is_clean_with_production_environment():
    env = _prod_env(SECRET_KEY="x7#Lq-9vZ!b2Rk$e0pW3nT6yU8iO1aS4dF5gH7jK9lZ2xC4vB6nM8q")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=_prod_env(),
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_settings_speak_chinese_in_shanghai():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_a_near_duplicate_distance_above_the_bands_guarantee_stops_start_up():
    """GAOKU_NEAR_DUPLICATE_DISTANCE=4 would silently miss near-duplicates: settings refuse it."""
    env = {**os.environ, "GAOKU_NEAR_DUPLICATE_DISTANCE": "4", "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    run = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and "GAOKU_NEAR_DUPLICATE_DISTANCE=4" in run.stderr
    env["GAOKU_NEAR_DUPLICATE_DISTANCE"] = "2"
    assert subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, timeout=60).returncode == 0
