"""Healthy once gunicorn answers, whatever the status (the Host may not be allowed, HTTPS may
redirect): it only starts after `migrate` succeeded, so worker and beat can wait on this."""

import http.client
import sys

try:
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
    connection.request("GET", "/healthz")
    connection.getresponse()
except OSError as exc:
    sys.exit(f"web is not answering: {exc}")
