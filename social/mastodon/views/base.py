"""What every Mastodon endpoint shares: Mastodon's error shape, who may call, rendering helpers.

Errors are `{"error": "..."}` as Mastodon answers them: 404 "Record not found" for anything
missing or hidden, 422 "Validation failed: ..." for bad input, 401/403/429 with the reason.
Services and selectors raise Django's exceptions; core.rest.exceptions translates them first,
exactly as for Shutter's own API, and this only reshapes the body.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from accounts.oauth.permissions import OAuthScopes
from accounts.selectors import user_ids_by_username
from core.rest.exceptions import api_exception_handler
from social.mastodon import entities
from social.mastodon.schema import MastodonAutoSchema

NOT_FOUND = "Record not found"


def _messages(data):
    if isinstance(data, dict):
        return [m for value in data.values() for m in _messages(value)]
    if isinstance(data, list):
        return [m for value in data for m in _messages(value)]
    return [str(data)]


def mastodon_exception_handler(exc, context):
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if response.status_code == 404:
        error = NOT_FOUND
    elif isinstance(data, dict) and set(data) == {"detail"}:
        error = str(data["detail"])
    elif isinstance(data, dict) and set(data) == {"cursor"}:
        error = " ".join(_messages(data))
    else:
        response.status_code = 422
        error = "Validation failed: " + " ".join(_messages(data))
    response.data = {"error": error}
    return response


class MastodonView(APIView):
    """A Mastodon endpoint: signed in unless `public`. `oauth_scopes` names the scope an OAuth
    token needs (one, or one per method: accounts.oauth.permissions); Shutter's own tokens and
    sessions pass as on Shutter's API."""

    public = False
    oauth_scopes = "read"
    schema = MastodonAutoSchema()
    # The answer is a list of entities (for the schema; lists are paged by pagination.py).
    many = False

    def get_permissions(self):
        base = [AllowAny()] if self.public else [IsAuthenticated()]
        return [*scope_permissions(), *base]

    def get_exception_handler(self):
        return mastodon_exception_handler

    @property
    def data(self):
        """The request's parameters (form or JSON object); a JSON body that is no object is 422."""
        data = self.request.data
        if isinstance(data, Mapping):
            return data
        raise ValidationError("Send the parameters as a form or a JSON object.")

    # --- rendering ---

    def _mentions_load(self, texts):
        names = entities.mentioned_names(texts)
        known = getattr(self.request, "mastodon_mentions", {})
        missing = names - set(known)
        if missing:
            known = {**known, **user_ids_by_username(usernames=missing)}
        self.request.mastodon_mentions = known

    def statuses(self, posts):
        posts = list(posts)
        self._mentions_load(post.caption for post in posts)
        return [entities.status(self.request, post) for post in posts]

    def status(self, post):
        return self.statuses([post])[0]

    def comment_statuses(self, comments):
        comments = list(comments)
        self._mentions_load(comment.text for comment in comments)
        return [entities.comment_status(self.request, comment) for comment in comments]

    def accounts(self, users):
        return [entities.account(self.request, user) for user in users]


def scope_permissions():
    """The scope check of OAuth tokens (accounts.oauth), first in every view's permissions."""
    return [OAuthScopes()]
