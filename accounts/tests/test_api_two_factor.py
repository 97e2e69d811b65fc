"""POST /api/v1/auth/token/ for an account with two-factor sign-in: no token before the
second factor (accounts/api/auth.py)."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor_helpers import fresh_code, throttle_forget, two_factor_on, wrong_code

pytestmark = pytest.mark.django_db

TOKEN = reverse("api:auth-token")


def token_request(user, **extra):
    data = {"username": user.username, "password": PASSWORD, **extra}
    return APIClient().post(TOKEN, data, format="json")


def test_without_otp_code_the_answer_asks_for_it_and_no_token_exists():
    user = UserFactory()
    two_factor_on(user)

    response = token_request(user)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This account uses two-factor sign-in: send otp_code with the password.",
        "otp_required": True,
    }
    assert not Token.objects.filter(user=user).exists()


def test_a_wrong_otp_code_gets_no_token():
    user = UserFactory()
    device, _ = two_factor_on(user)

    response = token_request(user, otp_code=wrong_code(device))

    assert response.status_code == 400
    assert response.json()["otp_required"] is True
    assert "That code didn't work" in response.json()["detail"]
    assert not Token.objects.filter(user=user).exists()


def test_the_current_code_from_the_app_gets_a_working_token():
    user = UserFactory()
    device, _ = two_factor_on(user)

    response = token_request(user, otp_code=fresh_code(device))

    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert me.get(reverse("api:me")).json()["username"] == user.username


def test_a_recovery_code_gets_a_token_once():
    user = UserFactory()
    _, codes = two_factor_on(user)

    first = token_request(user, otp_code=codes[0])
    Token.objects.filter(user=user).delete()
    throttle_forget(user)
    second = token_request(user, otp_code=codes[0])

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["otp_required"] is True
    assert not Token.objects.filter(user=user).exists()


def test_a_wrong_password_does_not_tell_that_the_account_uses_two_factor():
    user = UserFactory()
    two_factor_on(user)

    response = APIClient().post(
        TOKEN, {"username": user.username, "password": "wrong-one"}, format="json"
    )

    assert response.status_code == 400
    assert "otp_required" not in response.json()


def test_guessing_codes_soon_gets_429_with_retry_after():
    user = UserFactory()
    device, _ = two_factor_on(user)
    token_request(user, otp_code=wrong_code(device))

    response = token_request(user, otp_code=fresh_code(device))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many wrong codes" in response.json()["detail"]
    assert not Token.objects.filter(user=user).exists()


def test_an_account_without_two_factor_ignores_otp_code():
    user = UserFactory()

    response = token_request(user, otp_code="123456")

    assert response.status_code == 200
    assert Token.objects.filter(user=user).exists()


def test_the_schema_documents_otp_code_and_the_otp_required_answer():
    schema = APIClient().get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/auth/token/"]["post"]
    request_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schema["components"]["schemas"][request_ref.rsplit("/", 1)[1]]
    bad = post["responses"]["400"]["content"]["application/json"]["schema"]["anyOf"]

    assert "otp_code" in request_schema["properties"]
    assert "otp_code" not in request_schema.get("required", [])
    assert {"$ref": "#/components/schemas/SecondFactorRequired"} in bad
    asks = schema["components"]["schemas"]["SecondFactorRequired"]
    assert asks["properties"]["otp_required"]["type"] == "boolean"
    assert set(asks["required"]) == {"detail", "otp_required"}
