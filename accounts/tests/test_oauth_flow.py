"""OAuth 2 from the outside, as a Mastodon app does it: register with POST /api/v1/apps, send
the person to /oauth/authorize, trade the code at /oauth/token (with PKCE, or out of band),
refresh, client credentials, revoke; the RFC 8414 metadata; two-factor before any grant; and
tokens ending with a password change, a suspension or a revoke in settings."""

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oauth2_provider.models import AccessToken, Grant, RefreshToken
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.oauth_helpers import oauth_token
from accounts.tests.test_sessions import suspend
from accounts.tests.two_factor_helpers import fresh_code, two_factor_on
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db

APPS = "/api/v1/apps"
VERIFY_APP = "/api/v1/apps/verify_credentials"
AUTHORIZE = "/oauth/authorize"
TOKEN = "/oauth/token"
REVOKE = "/oauth/revoke"
METADATA = "/.well-known/oauth-authorization-server"
OOB = "urn:ietf:wg:oauth:2.0:oob"
CALLBACK = "https://app.example/callback"
ME = reverse("api:me")
FEED = reverse("api:feed")
LOGIN = reverse("accounts:login")
STEP = reverse("accounts:login-two-factor")
APPS_PAGE = reverse("oauth:authorised-apps")


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(html):
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


def register(**fields):
    data = {"client_name": "Tusky", "redirect_uris": CALLBACK, "scopes": "read write follow"}
    data.update(fields)
    response = APIClient().post(APPS, data, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(app, redirect_uri=CALLBACK, scope="read write follow", **extra):
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "xyz",
        **extra,
    }
    return f"{AUTHORIZE}?{urlencode(params)}"


def consent(client, url, answer="allow"):
    """Open the consent page and press Authorise (or Deny); the response to the press."""
    page = client.get(url)
    assert page.status_code == 200, page.content
    data = hidden_fields(page.text)
    data[answer] = "Authorize" if answer == "allow" else "Deny"
    return client.post(url, data)


def code_from(response):
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def token_for(app, code, redirect_uri=CALLBACK, **extra):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        **extra,
    }
    return Client().post(TOKEN, data)


def bearer(access_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


def full_flow(user, scope="read write follow"):
    app = register()
    verifier, challenge = pkce_pair()
    url = authorize_url(app, scope=scope, code_challenge=challenge, code_challenge_method="S256")
    code = code_from(consent(browser(user), url))
    response = token_for(app, code, code_verifier=verifier)
    assert response.status_code == 200, response.content
    return app, response.json()


# --- Registering an app ------------------------------------------------------------------------


def test_an_app_registers_with_a_form_and_gets_mastodon_s_application():
    response = Client().post(
        APPS,
        {
            "client_name": "Ice Cubes",
            "redirect_uris": "icecubesapp://",
            "scopes": "read write follow push",
            "website": "https://github.com/Dimillian/IceCubesApp",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["id"], str)
    assert body["name"] == "Ice Cubes"
    assert body["website"] == "https://github.com/Dimillian/IceCubesApp"
    assert body["redirect_uri"] == "icecubesapp://"
    assert body["redirect_uris"] == ["icecubesapp://"]
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["client_id"] and body["client_secret"]
    assert body["vapid_key"] == ""


def test_redirect_uris_come_as_a_string_of_several_or_as_a_list():
    by_string = register(redirect_uris=f"{CALLBACK}\n{OOB}")
    by_list = register(redirect_uris=[CALLBACK, OOB])
    by_form = Client().post(APPS, {"client_name": "F", "redirect_uris[]": [CALLBACK, OOB]}).json()

    for body in (by_string, by_list, by_form):
        assert body["redirect_uris"] == [CALLBACK, OOB]
        assert body["redirect_uri"] == f"{CALLBACK}\n{OOB}"


def test_scopes_default_to_read():
    body = Client().post(APPS, {"client_name": "Plain", "redirect_uris": OOB}).json()

    assert body["scopes"] == ["read"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"client_name": ""}, "client_name"),
        ({"redirect_uris": ""}, "redirect_uris"),
        ({"redirect_uris": "javascript:alert(1)"}, "redirect_uris"),
        ({"scopes": "read admin:write"}, "scopes"),
        ({"website": "not a site"}, "website"),
        ({"redirect_uris": "http://app.example/cb"}, "redirect_uris"),
        ({"redirect_uris": "https://[::1/cb"}, "redirect_uris"),
        ({"website": "https://[broken"}, "website"),
        ({"redirect_uris": [CALLBACK, {"uri": CALLBACK}]}, "redirect_uris"),
        ({"redirect_uris": 12}, "redirect_uris"),
    ],
)
def test_a_bad_registration_is_a_400_naming_the_field_and_stores_nothing(fields, field):
    from oauth2_provider.models import Application

    data = {"client_name": "App", "redirect_uris": CALLBACK, **fields}
    response = APIClient().post(APPS, data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Application.objects.exists()


# --- The code flow ----------------------------------------------------------------------------


def test_the_consent_page_says_which_app_wants_which_scopes_in_plain_words():
    app = register(website="https://tusky.app")
    page = browser(UserFactory()).get(authorize_url(app, scope="read write:favourites"))

    assert page.status_code == 200
    assert "Tusky" in page.text
    assert "https://tusky.app" in page.text
    assert 'data-scope="read"' in page.text
    assert "Read everything your account can see" in page.text
    assert 'data-scope="write:favourites"' in page.text
    assert "Like and unlike posts" in page.text
    assert 'method="post"' in page.text


def test_the_consent_page_lets_its_form_lead_back_to_the_app_under_the_csp():
    app = register(redirect_uris=[CALLBACK, "tusky://oauth", OOB])

    page = browser(UserFactory()).get(authorize_url(app))

    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", "https://app.example", "tusky:"]
    assert "script-src 'self'" in policy


def test_the_authorise_page_asks_a_stranger_to_log_in_first():
    app = register()
    url = authorize_url(app)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_full_code_flow_with_pkce_gives_a_working_token_with_scope_and_created_at():
    user = UserFactory()

    _app, token = full_flow(user)

    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read write follow"
    assert isinstance(token["created_at"], int)
    assert token["refresh_token"]
    assert bearer(token["access_token"]).get(ME).json()["username"] == user.username
    assert bearer(token["access_token"]).get(VERIFY_APP).json()["name"] == "Tusky"


def test_a_wrong_pkce_verifier_gets_no_token():
    app = register()
    _verifier, challenge = pkce_pair()
    url = authorize_url(app, code_challenge=challenge, code_challenge_method="S256")
    code = code_from(consent(browser(UserFactory()), url))

    response = token_for(app, code, code_verifier="not-the-verifier" * 3)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_plain_pkce_is_refused_as_rfc_9700_asks():
    app = register()
    verifier = secrets.token_urlsafe(48)
    url = authorize_url(app, code_challenge=verifier, code_challenge_method="plain")

    response = consent(browser(UserFactory()), url)

    assert response.status_code == 302
    assert "error=invalid_request" in response["Location"]
    assert not Grant.objects.exists()


def test_a_code_works_once():
    app = register()
    code = code_from(consent(browser(UserFactory()), authorize_url(app)))

    assert token_for(app, code).status_code == 200
    assert token_for(app, code).status_code == 400


def test_the_token_endpoint_takes_json_too():
    app = register()
    code = code_from(consent(browser(UserFactory()), authorize_url(app)))
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }

    response = APIClient().post(TOKEN, data, format="json")

    assert response.status_code == 200
    assert response.json()["scope"] == "read write follow"


def test_an_app_cannot_ask_for_more_than_it_registered():
    app = register(scopes="read")

    response = browser(UserFactory()).get(authorize_url(app, scope="read write"))

    assert response.status_code == 302
    assert response["Location"] == f"{CALLBACK}?error=invalid_scope&state=xyz"


def test_an_unknown_app_gets_a_page_that_says_so_and_no_redirect():
    response = browser(UserFactory()).get(authorize_url({"client_id": "nope"}))

    assert response.status_code == 400
    assert "t be authorised</h1>" in response.text
    assert "Invalid client_id" in response.text


def test_a_registered_parent_scope_lets_the_app_ask_for_a_child():
    app = register(scopes="read write")
    code = code_from(consent(browser(UserFactory()), authorize_url(app, scope="read:statuses")))

    assert token_for(app, code).json()["scope"] == "read:statuses"


def test_deny_sends_the_app_access_denied_and_no_grant():
    user = UserFactory()
    app = register()

    response = consent(browser(user), authorize_url(app), answer="deny")

    assert response.status_code == 302
    assert "error=access_denied" in response["Location"]
    assert response["Location"].startswith(CALLBACK)
    assert not Grant.objects.exists()


# --- Out of band ------------------------------------------------------------------------------


def test_out_of_band_shows_the_code_on_a_page_that_trades_for_a_token():
    app = register(redirect_uris=OOB)

    page = consent(browser(UserFactory()), authorize_url(app, redirect_uri=OOB))

    assert page.status_code == 200
    code = page.text.split("data-oauth-code>")[1].split("<")[0]
    response = token_for(app, code, redirect_uri=OOB)
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_out_of_band_deny_says_so_on_a_page():
    app = register(redirect_uris=OOB)

    page = consent(browser(UserFactory()), authorize_url(app, redirect_uri=OOB), answer="deny")

    assert page.status_code == 200
    assert "Access denied" in page.text


# --- Refresh, client credentials, revoke ------------------------------------------------------


def test_a_refresh_token_gives_a_new_access_token_and_ends_the_old_one():
    user = UserFactory()
    app, first = full_flow(user)

    response = Client().post(
        TOKEN,
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )

    assert response.status_code == 200
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == "read write follow"
    assert bearer(second["access_token"]).get(ME).status_code == 200
    assert bearer(first["access_token"]).get(ME).status_code == 401


def test_client_credentials_give_an_app_token_for_app_level_endpoints_only():
    app = register()

    response = Client().post(
        TOKEN,
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read",
        },
    )

    assert response.status_code == 200
    token = response.json()
    assert token["scope"] == "read"
    assert "refresh_token" not in token
    client = bearer(token["access_token"])
    assert client.get(VERIFY_APP).json()["name"] == "Tusky"
    assert client.get(ME).status_code in (401, 403)
    assert client.get(FEED).status_code == 403


def test_client_credentials_need_the_secret():
    app = register()

    response = Client().post(
        TOKEN,
        {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": "x"},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_revoke_ends_the_token():
    app, token = full_flow(UserFactory())

    response = Client().post(
        REVOKE,
        {
            "token": token["access_token"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )

    assert response.status_code == 200
    assert response.json() == {}
    assert bearer(token["access_token"]).get(ME).status_code == 401
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_verify_credentials_of_the_app_needs_an_oauth_token():
    assert APIClient().get(VERIFY_APP).status_code == 401


# --- Metadata ---------------------------------------------------------------------------------


def test_the_server_metadata_says_what_mastodon_4_3_says():
    response = Client().get(METADATA)

    assert response.status_code == 200
    body = response.json()
    assert body["issuer"] == "http://testserver/"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert body["app_registration_endpoint"] == "http://testserver/api/v1/apps"
    assert {"read", "write", "follow", "push", "read:statuses"} <= set(body["scopes_supported"])
    assert body["response_types_supported"] == ["code"]
    assert "S256" in body["code_challenge_methods_supported"]
    assert {"authorization_code", "client_credentials", "refresh_token"} <= set(
        body["grant_types_supported"]
    )
    assert "client_secret_post" in body["token_endpoint_auth_methods_supported"]


# --- Two-factor -------------------------------------------------------------------------------


def test_a_person_with_two_factor_passes_it_before_the_consent_page():
    user = UserFactory()
    device, _codes = two_factor_on(user)
    app = register()
    url = authorize_url(app)
    client = Client()

    to_login = client.get(url)
    assert to_login["Location"].startswith(LOGIN)
    password = client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": url})
    assert password["Location"].startswith(STEP)
    second = client.post(STEP, {"code": fresh_code(device)})
    assert second["Location"] == url

    assert code_from(consent(client, url))


def test_a_session_that_skipped_the_second_factor_is_sent_to_it_and_gets_no_code():
    user = UserFactory()
    two_factor_on(user)
    app = register()
    client = browser(user)  # signed in without a second factor in this session

    page = client.get(authorize_url(app))
    press = client.post(
        authorize_url(app),
        {
            "client_id": app["client_id"],
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "scope": "read",
            "state": "xyz",
            "allow": "Authorize",
        },
    )

    assert page.status_code == 302
    assert page["Location"].startswith(STEP)
    assert press["Location"].startswith(STEP)
    assert not Grant.objects.exists()


# --- Tokens that end --------------------------------------------------------------------------


def test_a_password_change_ends_oauth_tokens():
    user = UserFactory()
    _app, token = full_flow(user)
    client = Client()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})

    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret-42",
            "new_password2": "a-brand-new-secret-42",
        },
    )

    assert bearer(token["access_token"]).get(ME).status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()
    assert not RefreshToken.objects.filter(user=user).exists()


def test_sign_out_everywhere_ends_oauth_tokens():
    user = UserFactory()
    _app, token = full_flow(user)
    client = browser(user)

    client.post(reverse("accounts:sign-out-everywhere"))

    assert bearer(token["access_token"]).get(ME).status_code == 401


def test_a_suspended_account_s_token_is_refused_until_the_suspension_is_lifted():
    from django.utils import timezone

    user = UserFactory()
    _app, token = full_flow(user)

    user.suspended_at = timezone.now()
    user.save(update_fields=["suspended_at"])
    refused = bearer(token["access_token"]).get(ME)
    user.suspended_at = None
    user.save(update_fields=["suspended_at"])

    assert refused.status_code == 401
    assert "suspended" in refused.json()["detail"]
    assert bearer(token["access_token"]).get(ME).status_code == 200


# --- Settings: authorised apps ----------------------------------------------------------------


def test_settings_list_authorised_apps_with_their_scopes_and_revoke_works_without_js():
    user = UserFactory()
    _app, token = full_flow(user, scope="read write:favourites")
    client = browser(user)

    settings_page = client.get(reverse("accounts:settings"))
    page = client.get(APPS_PAGE)

    assert f'href="{APPS_PAGE}"' in settings_page.text
    assert "Tusky" in page.text
    assert "Like and unlike posts" in page.text
    app_id = AccessToken.objects.get(user=user).application_id
    revoke = reverse("oauth:authorised-app-revoke", args=[app_id])
    assert f'action="{revoke}"' in page.text

    assert client.post(revoke).status_code == 302
    assert bearer(token["access_token"]).get(ME).status_code == 401
    assert "Tusky" not in client.get(APPS_PAGE).text


def test_nobody_revokes_an_app_for_someone_else():
    owner, other = UserFactory(), UserFactory()
    _app, token = full_flow(owner)
    app_id = AccessToken.objects.get(user=owner).application_id

    response = browser(other).post(reverse("oauth:authorised-app-revoke", args=[app_id]))

    assert response.status_code == 404
    assert bearer(token["access_token"]).get(ME).status_code == 200


def test_a_moderator_s_suspension_refuses_oauth_tokens_until_it_is_lifted():
    user = UserFactory()
    _app, token = full_flow(user)
    moderator = Client()
    moderator.force_login(moderator_make(username="sam"))

    suspend(moderator, user)
    refused = bearer(token["access_token"]).get(ME).status_code
    suspend(moderator, user, action="unsuspend_accounts")

    assert refused == 401
    assert bearer(token["access_token"]).get(ME).status_code == 200


def test_the_authorised_apps_page_costs_the_same_queries_for_one_app_or_many():
    user = UserFactory()
    client = browser(user)
    oauth_token(user, "read")

    with CaptureQueriesContext(connection) as one:
        assert client.get(APPS_PAGE).status_code == 200
    for scopes in ("write", "follow", "read write"):
        oauth_token(user, scopes)
    with CaptureQueriesContext(connection) as four:
        page = client.get(APPS_PAGE)

    assert page.text.count("data-authorised-app=") == 4
    assert len(four) == len(one)


def test_the_admin_shows_apps_and_who_gave_them_access_without_a_way_to_edit(admin_client):
    user = UserFactory()
    _app, _token = full_flow(user)
    token = AccessToken.objects.get(user=user)

    pages = [
        reverse("admin:oauth2_provider_application_changelist"),
        reverse("admin:oauth2_provider_application_change", args=[token.application_id]),
        reverse("admin:oauth2_provider_accesstoken_changelist"),
        reverse("admin:oauth2_provider_accesstoken_change", args=[token.pk]),
        reverse("admin:accounts_appregistration_changelist"),
    ]

    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert 'name="_save"' not in response.text
    assert "Tusky" in admin_client.get(pages[0]).text
