"""core.http.rate_limited: the API's scoped write rates, applied to a page."""

import json

import pytest
from django.http import HttpResponse

from accounts.tests.factories import UserFactory
from core.http import rate_limited

pytestmark = pytest.mark.django_db


@rate_limited("comment")
def page(request):
    return HttpResponse("done")


def call(rf, user, method="post", **headers):
    request = getattr(rf, method)("/somewhere/", headers=headers)
    request.user = user
    return page(request)


def test_the_third_post_over_a_rate_of_two_is_429_and_gets_are_not_counted(rf, tight_rate):
    tight_rate("comment", "2/minute")
    me = UserFactory()

    statuses = [
        call(rf, me, "get").status_code,
        call(rf, me).status_code,
        call(rf, me, "get").status_code,
        call(rf, me).status_code,
    ]
    refused = call(rf, me)

    assert statuses == [200, 200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Try again in 1 minute." in refused.content.decode()
    assert call(rf, me, "get").status_code == 200


def test_app_js_hears_the_refusal_as_json_with_a_detail(rf, tight_rate):
    tight_rate("comment", "1/hour")
    me = UserFactory()
    call(rf, me)

    refused = call(rf, me, Accept="application/json")

    body = json.loads(refused.content)
    assert refused.status_code == 429
    assert set(body) == {"detail"} and "Try again in 60 minutes." in body["detail"]
    assert 3500 < int(refused["Retry-After"]) <= 3600


def test_each_account_has_its_own_allowance(rf, tight_rate):
    tight_rate("comment", "1/minute")
    me, someone_else = UserFactory(), UserFactory()
    call(rf, me)

    assert call(rf, someone_else).status_code == 200
    assert call(rf, me).status_code == 429
