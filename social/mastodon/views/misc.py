"""Search, reports, and the endpoints apps call at start that Shutter has nothing behind:
those answer Mastodon's documented empty value, never a 404 that would crash the app."""

from django.core.exceptions import ValidationError
from rest_framework.response import Response

from accounts.selectors import account_username_get, user_search
from posts.selectors import hashtag_search
from social.mastodon import entities
from social.mastodon.params import id_param, list_param, str_param
from social.mastodon.views.base import MastodonView
from social.mastodon.views.statuses import parse_status
from social.moderation.models import Report
from social.moderation.reports import report_create
from social.moderation.selectors import report_target_get

SEARCH_TYPES = ("accounts", "statuses", "hashtags")


def _limit(params, default=20, most=40):
    try:
        return max(1, min(int(params.get("limit", default)), most))
    except (TypeError, ValueError):
        return default


class SearchView(MastodonView):
    oauth_scopes = "read:search"

    def get(self, request):
        params = request.query_params
        q = str(params.get("q", "")).strip()
        kind = params.get("type")
        limit = _limit(params)
        answer = {"accounts": [], "statuses": [], "hashtags": []}
        if not q or (kind and kind not in SEARCH_TYPES):
            return Response(answer)
        if kind in (None, "accounts") and not q.startswith("#"):
            users = user_search(
                viewer=request.user, prefix=q.lstrip("@").split("@")[0], limit=limit
            )
            answer["accounts"] = self.accounts(users)
        if kind in (None, "hashtags") and not q.startswith("@"):
            tags = hashtag_search(viewer=request.user, prefix=q, limit=limit)
            answer["hashtags"] = [entities.tag(request, tag.name) for tag in tags]
        # Shutter has no search of captions: statuses stay empty.
        return Response(answer)


# Mastodon's report categories as Shutter's reasons.
REASON_OF_CATEGORY = {"spam": Report.Reason.SPAM, "violation": Report.Reason.OTHER}


class ReportsView(MastodonView):
    oauth_scopes = "write:reports"

    def post(self, request):
        data = self.data
        account_id = id_param(data.get("account_id"))
        status_ids = list_param(data, "status_ids")
        category = str_param(data, "category", "other") or "other"
        comment = str_param(data, "comment")
        reason = REASON_OF_CATEGORY.get(category, Report.Reason.OTHER)
        if status_ids:
            kind, pk = parse_status(status_ids[0])
            target = report_target_get(viewer=request.user, kind=kind, key=pk)
            owner_id = target.author_id
        else:
            username = account_username_get(user_id=account_id)
            kind, target = "user", report_target_get(viewer=request.user, kind="user", key=username)
            owner_id = target.pk
        if owner_id != account_id:
            raise ValidationError({"status_ids": ["These statuses are not by that account."]})
        report, _ = report_create(
            reporter=request.user, reason=reason, text=comment, **{kind: target}
        )
        return Response(
            {
                "id": str(report.pk),
                "action_taken": report.status != Report.Status.OPEN,
                "action_taken_at": None,
                "category": category if category in ("spam", "violation", "legal") else "other",
                "comment": report.text,
                "forwarded": False,
                "created_at": entities.iso(report.created_at),
                "status_ids": status_ids[:1] or None,
                "rule_ids": None,
                "target_account": self._target_account(owner_id, kind, target),
            }
        )

    def _target_account(self, owner_id, kind, target):
        owner = target if kind == "user" else target.author
        return entities.account(self.request, owner)


def empty(scopes, value=None, public=False, app_token=False):
    """A view answering GET with `value` (an empty list by default)."""
    answer = [] if value is None else value

    class EmptyView(MastodonView):
        """Shutter has nothing behind this: Mastodon's empty answer."""

        oauth_scopes = scopes
        many = isinstance(answer, list)
        oauth_app_token_allowed = app_token

        def get(self, request, *args, **kwargs):
            return Response(answer() if callable(answer) else answer)

    EmptyView.public = public
    return EmptyView.as_view()


PREFERENCES = {
    "posting:default:visibility": "public",
    "posting:default:sensitive": False,
    "posting:default:language": None,
    "reading:expand:media": "default",
    "reading:expand:spoilers": False,
}


class PreferencesView(MastodonView):
    oauth_scopes = "read:accounts"

    def get(self, request):
        prefs = dict(PREFERENCES)
        prefs["posting:default:visibility"] = "private" if request.user.is_private else "public"
        return Response(prefs)
