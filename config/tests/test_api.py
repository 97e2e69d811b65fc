"""The API root: the OpenAPI schema builds clean, and unknown paths answer in JSON."""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # The warning tally is process-wide: start from zero so only this generation counts.
    GENERATOR_STATS.reset()
    schema_file = tmp_path / "schema.yml"

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file), verbosity=0
    )

    assert schema_file.read_text().startswith("openapi: 3.0.3")


@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_not_a_csrf_page(method):
    # CSRF checks on, as for a browser: a write to an unknown path is still the API's 404.
    client = APIClient(enforce_csrf_checks=True)

    response = getattr(client, method)("/api/v1/no-such-thing/42/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
