"""GET /healthz: JSON health of the database, the replica, the cache and the broker."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery_app import app
from core import replica_health


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _check_replica():
    if "replica" not in settings.DATABASES:
        return {"ok": True, "configured": False}
    status = replica_health.replica_status(force=True)
    return {
        "ok": status["usable"],
        "configured": True,
        "lag_seconds": status["lag"],
        "error": status["error"],
        # Reads fall back to the primary, so an unusable replica degrades, not fails, the site.
        "reads_from": "replica" if status["usable"] else "primary",
    }


def _check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker():
    # The app's own mode, not the setting: a test or operator may switch it at run time.
    if app.conf.task_always_eager:
        return {"ok": True, "mode": "eager"}
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "mode": "broker"}


CHECKS = {
    "database": _check_database,
    "replica": _check_replica,
    "cache": _check_cache,
    "broker": _check_broker,
}
# The site cannot serve without these; the others only degrade it.
CRITICAL = {"database"}


@never_cache
@require_GET
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            result = check()
        except Exception as exc:  # a failing dependency is reported, never raised
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        report[name] = result
    healthy = all(report[name]["ok"] for name in CRITICAL)
    degraded = not all(item["ok"] for item in report.values())
    status = "ok" if not degraded else ("degraded" if healthy else "down")
    return JsonResponse({"status": status, "checks": report}, status=200 if healthy else 503)
