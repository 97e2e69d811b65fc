"""Pages, the API and static files answer through nginx on production settings; the pooler is
in the path; a client cannot pick the address the app counts."""

import re
import subprocess
import uuid
from pathlib import Path

import requests


def test_pages_and_api_answer_through_nginx_on_production_settings(site, api_token, stack_env):
    login_page = requests.get(f"{site}/accounts/login/", timeout=30)
    assert login_page.status_code == 200
    assert login_page.headers["Server"] == "nginx"
    assert "Log in" in login_page.text
    # Production settings: a missing page is the site's own 404, not Django's debug page.
    missing = requests.get(f"{site}/no-such-page/", timeout=30)
    assert missing.status_code == 404
    assert "Page not found" in missing.text and "URLconf" not in missing.text

    anonymous = requests.get(f"{site}/api/v1/feed/", timeout=30)
    assert anonymous.status_code == 401
    token = api_token("alice")
    feed = requests.get(
        f"{site}/api/v1/feed/", headers={"Authorization": f"Token {token}"}, timeout=30
    )
    assert feed.status_code == 200
    assert feed.json()["results"], "alice follows people who posted (seed_demo)"

    # A stranger learns only that the site is up; monitoring's token opens the details.
    assert requests.get(f"{site}/healthz", timeout=30).json() == {"status": "ok"}
    token_header = {"X-Health-Token": stack_env["SHUTTER_HEALTH_TOKEN"]}
    health = requests.get(f"{site}/healthz", headers=token_header, timeout=30).json()
    assert health["status"] == "ok"
    assert health["checks"]["replica"]["reads_from"] == "replica"
    assert health["checks"]["broker"]["mode"] == "broker"


def test_static_files_come_from_disk_compressed_with_a_year_of_cache(site):
    page = requests.get(f"{site}/accounts/login/", timeout=30).text
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed name collectstatic wrote"

    response = requests.get(site + stylesheet[1], headers={"Accept-Encoding": "gzip"}, timeout=30)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The .gz whitenoise wrote beside it, sent as is (gzip_static); requests decodes it.
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"] == "text/css"
    assert ".topbar" in response.text
    # Served by nginx from disk: Django's own headers are absent.
    assert "X-Frame-Options" not in response.headers


def test_the_protected_media_location_is_internal_only(site):
    response = requests.get(f"{site}/_protected_media/posts/1/anything.jpg", timeout=30)
    assert response.status_code == 404


def pgbouncer_admin(pgbouncer, command):
    """Rows of a SHOW command on PgBouncer's admin console, as dicts, read with psql."""
    host, port = pgbouncer
    psql = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql")) or ["psql"]
    result = subprocess.run(
        [
            str(psql[-1]),
            "-X",
            "-h",
            host,
            "-p",
            str(port),
            "-U",
            "shutter",
            "-d",
            "pgbouncer",
            "-A",
            "-F",
            "\t",
            "-P",
            "footer=off",
            "-c",
            command,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    header, *rows = result.stdout.splitlines()
    names = header.split("\t")
    return [dict(zip(names, row.split("\t"), strict=True)) for row in rows]


def transactions_by_database(pgbouncer):
    return {
        row["database"]: int(row["total_xact_count"])
        for row in pgbouncer_admin(pgbouncer, "SHOW STATS")
    }


def test_the_app_reaches_both_databases_through_pgbouncer_in_transaction_mode(
    stack_env, pgbouncer, site, api_token
):
    host, port = pgbouncer
    assert stack_env["DATABASE_URL"].endswith(f"@{host}:{port}/shutter")
    assert stack_env["REPLICA_DATABASE_URL"].endswith(f"@{host}:{port}/shutter_replica")
    pools = {row["database"]: row for row in pgbouncer_admin(pgbouncer, "SHOW POOLS")}
    assert pools["shutter"]["pool_mode"] == "transaction"
    assert pools["shutter_replica"]["pool_mode"] == "transaction"
    before = transactions_by_database(pgbouncer)

    token = api_token("alice")
    for _ in range(3):
        feed = requests.get(
            f"{site}/api/v1/feed/", headers={"Authorization": f"Token {token}"}, timeout=30
        )
        assert feed.status_code == 200

    after = transactions_by_database(pgbouncer)
    # Token log-in writes on the primary; feed reads go to the replica; both through the pool.
    assert after["shutter"] > before["shutter"]
    assert after["shutter_replica"] > before["shutter_replica"]


def test_a_spoofed_forwarded_for_does_not_change_the_address_the_app_counts(site):
    """Five wrong passwords lock a login from one address (SHUTTER_LOGIN_LIMIT). A client
    that sends a fresh X-Forwarded-For each time is still one address: nginx replaces the
    header with the address it saw, so the sixth try is refused all the same."""
    login = f"nobody-{uuid.uuid4().hex[:12]}"

    def attempt(n):
        return requests.post(
            f"{site}/api/v1/auth/token/",
            json={"username": login, "password": "wrong-password"},
            headers={"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"203.0.113.{n}"},
            timeout=30,
        )

    for n in range(1, 6):
        assert attempt(n).status_code == 400
    locked = attempt(6)
    assert locked.status_code == 429, locked.text
    assert "Too many failed attempts" in locked.json()["detail"]
