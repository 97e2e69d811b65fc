import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from config.tests.clients import token_client
from posts.tests.factories import image_upload

pytestmark = pytest.mark.django_db

REGISTER = reverse("api:auth-register")
TOKEN = reverse("api:auth-token")
ME = reverse("api:me")
STRONG_PASSWORD = "tulip-harbour-seventeen"


@pytest.fixture
def client():
    return APIClient()


def register(client, **overrides):
    data = {"username": "ada", "email": "ada@example.com", "password": STRONG_PASSWORD}
    return client.post(REGISTER, {**data, **overrides}, format="json")


# --- Register ---------------------------------------------------------------------------------


def test_registering_creates_the_account_and_returns_it_with_201(client):
    response = register(client, display_name="Ada L.")

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ada"
    assert body["email"] == "ada@example.com"
    assert body["display_name"] == "Ada L."
    assert body["follower_count"] == 0
    assert "password" not in body
    assert User.objects.get(username="ada").check_password(STRONG_PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "a"}, "username"),
        ({"username": "no spaces"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
    ],
)
def test_each_invalid_registration_field_is_named_in_the_error(client, overrides, field):
    response = register(client, **overrides)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {field}
    assert body[field] and all(isinstance(message, str) for message in body[field])
    assert not User.objects.exists()


def test_registering_without_the_required_fields_names_each_of_them(client):
    response = client.post(REGISTER, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "password"}


def test_a_username_taken_in_another_case_is_refused(client):
    UserFactory(username="Ada", email="first@example.com")

    response = register(client, username="ADA")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert User.objects.filter(username__iexact="ada").count() == 1


# --- Token ------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["grace", "Grace@Example.com"])
def test_a_token_is_given_for_the_username_or_the_email(client, login):
    user = UserFactory(username="grace", email="grace@example.com")

    response = client.post(TOKEN, {"username": login, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_the_token_opens_the_api(client):
    user = UserFactory()
    key = client.post(TOKEN, {"username": user.username, "password": PASSWORD}).json()["token"]

    response = APIClient().get(ME, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_logging_in_again_returns_the_same_token(client):
    user = UserFactory()
    credentials = {"username": user.username, "password": PASSWORD}

    first = client.post(TOKEN, credentials).json()["token"]
    second = client.post(TOKEN, credentials).json()["token"]

    assert first == second
    assert Token.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "credentials",
    [{"username": "grace", "password": "wrong"}, {"username": "nobody", "password": PASSWORD}],
)
def test_wrong_credentials_get_a_400_and_no_token(client, credentials):
    UserFactory(username="grace")

    response = client.post(TOKEN, credentials, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not Token.objects.exists()


def test_a_suspended_account_is_told_why_it_gets_no_token(client):
    user = UserFactory(suspended_at=timezone.now())

    response = client.post(TOKEN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This account is suspended."]}
    assert not Token.objects.exists()


def test_a_suspended_account_with_a_wrong_password_learns_nothing_more(client):
    user = UserFactory(suspended_at=timezone.now())

    response = client.post(TOKEN, {"username": user.username, "password": "guess"})

    assert response.status_code == 400
    assert "suspended" not in str(response.json())


def test_a_token_stops_working_once_its_account_is_suspended():
    user = UserFactory()
    client = token_client(user)
    assert client.get(ME).status_code == 200

    User.objects.filter(pk=user.pk).update(suspended_at=timezone.now())
    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "This account is suspended."}


def test_a_token_of_a_deactivated_account_is_refused():
    user = UserFactory(is_active=False)

    assert token_client(user).get(ME).status_code == 401


def test_deleting_the_token_revokes_it():
    user = UserFactory()
    client = token_client(user)

    response = client.delete(TOKEN)

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get(ME).status_code == 401


def test_deleting_a_token_needs_credentials(client):
    assert client.delete(TOKEN).status_code == 401


# --- Me ---------------------------------------------------------------------------------------


def test_me_shows_my_profile_counts_and_email(django_assert_num_queries):
    user = UserFactory(
        username="lin", email="lin@example.com", display_name="Lin", bio="Hi", follower_count=3
    )
    client = token_client(user)

    # One query: the token joined to its user. The profile needs nothing more.
    with django_assert_num_queries(1):
        response = client.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": "lin",
        "email": "lin@example.com",
        "display_name": "Lin",
        "bio": "Hi",
        "website": "",
        "is_private": False,
        "avatar_url": None,
        "post_count": 0,
        "follower_count": 3,
        "following_count": 0,
    }


def test_me_without_credentials_is_401_with_the_token_challenge(client):
    response = client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_patching_me_changes_the_fields_sent_and_only_those():
    user = UserFactory(display_name="Old", bio="Keep me")
    client = token_client(user)

    response = client.patch(ME, {"display_name": "New", "website": "example.com"}, format="json")

    assert response.status_code == 200
    assert response.json()["display_name"] == "New"
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.website) == ("New", "Keep me", "https://example.com")


def test_patching_me_can_make_the_account_private_and_public_again():
    user = UserFactory()
    client = token_client(user)

    assert client.patch(ME, {"is_private": True}, format="json").json()["is_private"] is True
    user.refresh_from_db()
    assert user.is_private
    assert client.patch(ME, {"is_private": False}, format="json").json()["is_private"] is False


def test_an_avatar_uploaded_as_multipart_is_stored_and_linked():
    user = UserFactory()

    response = token_client(user).patch(
        ME, {"avatar": image_upload("me.jpg", size=(600, 400))}, format="multipart"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.avatar
    assert response.json()["avatar_url"] == f"http://testserver{user.avatar.url}"


def test_a_file_that_is_not_an_image_is_refused_as_an_avatar_field_error():
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = UserFactory()
    fake = SimpleUploadedFile("notes.jpg", b"just text", content_type="image/jpeg")

    response = token_client(user).patch(ME, {"avatar": fake}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]


def test_a_refused_field_leaves_the_other_fields_unchanged():
    user = UserFactory(display_name="Before")

    response = token_client(user).patch(
        ME, {"display_name": "After", "bio": "x" * 151, "is_private": True}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["bio"]
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.is_private) == ("Before", "", False)


def test_fields_a_client_may_not_set_are_ignored():
    user = UserFactory(username="mel")
    client = token_client(user)

    response = client.patch(
        ME,
        {
            "id": 999,
            "username": "root",
            "email": "evil@example.com",
            "is_staff": True,
            "is_superuser": True,
            "follower_count": 1_000_000,
            "suspended_at": None,
            "bio": "changed",
        },
        format="json",
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "changed"
    assert (user.pk, user.username, user.email) == (response.json()["id"], "mel", "mel@example.com")
    assert not user.is_staff and not user.is_superuser
    assert user.follower_count == 0


# --- Sessions and CSRF ------------------------------------------------------------------------


def session_client(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_session_works_for_reads_without_a_csrf_token():
    user = UserFactory()

    assert session_client(user).get(ME).status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused():
    user = UserFactory(bio="same")

    response = session_client(user).patch(ME, {"bio": "forged"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    user.refresh_from_db()
    assert user.bio == "same"


def test_a_session_write_with_the_csrf_token_goes_through():
    user = UserFactory()
    client = session_client(user)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret

    response = client.patch(ME, {"bio": "mine"}, format="json", HTTP_X_CSRFTOKEN=secret)

    assert response.status_code == 200
    assert response.json()["bio"] == "mine"


def test_a_token_write_needs_no_csrf_token():
    user = UserFactory()
    client = token_client(user)
    client.handler.enforce_csrf_checks = True

    assert client.patch(ME, {"bio": "by token"}, format="json").status_code == 200


# --- Throttling -------------------------------------------------------------------------------


def test_registrations_over_the_rate_get_429_with_retry_after(client, tight_rate):
    tight_rate("register", "2/minute")

    assert register(client, username="one", email="one@example.com").status_code == 201
    assert register(client, username="two", email="two@example.com").status_code == 201
    response = register(client, username="three", email="three@example.com")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert set(response.json()) == {"detail"}
    assert not User.objects.filter(username="three").exists()


def test_token_requests_over_the_login_rate_get_429(client, tight_rate):
    tight_rate("login", "1/minute")
    UserFactory(username="grace")

    client.post(TOKEN, {"username": "grace", "password": "wrong"})
    response = client.post(TOKEN, {"username": "grace", "password": PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response


# --- Schema and docs --------------------------------------------------------------------------


def test_the_schema_is_valid_openapi_3_with_token_auth_and_error_shapes(client):
    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on anything that breaks the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    assert {"ErrorDetail", "FieldErrors"} <= set(schema["components"]["schemas"])
    me = schema["paths"]["/api/v1/me/"]
    assert {"get", "patch"} <= set(me)
    assert me["get"]["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }


def test_the_docs_page_loads_only_our_own_static_files(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    # The start-up script is a file of its own (the CSP allows no inline script): it points
    # Swagger UI at our schema.
    start_up = client.get(reverse("api-docs"), {"script": ""}).content.decode()
    assert reverse("api-schema") in start_up


def test_me_answers_exactly_what_the_declared_fields_would():
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from accounts.api.auth import AccountSerializer
    from accounts.services import user_profile_update

    user = UserFactory(is_private=True, website="https://example.com/x", follower_count=7)
    user_profile_update(user=user, avatar=image_upload("me.png"), bio="Line\nbreak")
    request = APIRequestFactory().get(ME)
    serializer = AccountSerializer(user, context={"request": request})

    by_fields = serializers.ModelSerializer.to_representation(serializer, user)

    assert serializer.data == dict(by_fields)
    assert token_client(user).get(ME).json() == dict(by_fields)
