"""The instance (v1 and v2) and nodeinfo: what an app reads before anything else.

Limits are Shutter's own (settings.SHUTTER, the caption and alt text lengths), so an app never
offers what the server then refuses.
"""

from django.conf import settings
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from rest_framework.response import Response

from posts.selectors import site_stats
from posts.services.posts import ALT_TEXT_MAX, CAPTION_MAX
from social.mastodon.views.base import MastodonView

MASTODON_VERSION = "4.3.0"
SHUTTER_VERSION = getattr(settings, "SHUTTER_VERSION", "0.1.0")
VERSION = f"{MASTODON_VERSION} (compatible; Shutter {SHUTTER_VERSION})"
TITLE = "Shutter"
DESCRIPTION = "Shutter: share photos with the people who matter."
SOURCE_URL = "https://github.com/shutter/shutter"
MIME_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"]


def _limits():
    shutter = settings.SHUTTER
    return {
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
        "statuses": {
            "max_characters": CAPTION_MAX,
            "max_media_attachments": shutter["MAX_IMAGES_PER_POST"],
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": MIME_TYPES,
            "description_limit": ALT_TEXT_MAX,
            "image_size_limit": shutter["MAX_IMAGE_BYTES"],
            "image_matrix_limit": shutter["MAX_DECODED_PIXELS"],
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
    }


def _streaming_url(request):
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}"


def _contact_email():
    return getattr(settings, "SHUTTER_CONTACT_EMAIL", "") or ""


class InstanceV1View(MastodonView):
    public = True
    oauth_scopes = "read"
    oauth_app_token_allowed = True

    def get(self, request):
        stats = site_stats()
        return Response(
            {
                "uri": request.get_host(),
                "title": TITLE,
                "short_description": DESCRIPTION,
                "description": DESCRIPTION,
                "email": _contact_email(),
                "version": VERSION,
                "urls": {"streaming_api": _streaming_url(request)},
                "stats": {
                    "user_count": stats["user_count"],
                    "status_count": stats["status_count"],
                    "domain_count": 0,
                },
                "thumbnail": request.build_absolute_uri(static("img/header-missing.png")),
                "languages": ["en"],
                "registrations": True,
                "approval_required": False,
                "invites_enabled": False,
                "configuration": _limits(),
                "contact_account": None,
                "rules": [],
            }
        )


class InstanceV2View(MastodonView):
    public = True
    oauth_scopes = "read"
    oauth_app_token_allowed = True

    def get(self, request):
        stats = site_stats()
        return Response(
            {
                "domain": request.get_host(),
                "title": TITLE,
                "version": VERSION,
                "source_url": SOURCE_URL,
                "description": DESCRIPTION,
                "usage": {"users": {"active_month": stats["user_count"]}},
                "thumbnail": {
                    "url": request.build_absolute_uri(static("img/header-missing.png")),
                    "blurhash": None,
                    "versions": {},
                },
                "icon": [],
                "languages": ["en"],
                "configuration": {
                    "urls": {"streaming": _streaming_url(request), "status": None},
                    "vapid": {"public_key": ""},
                    **_limits(),
                    "translation": {"enabled": False},
                },
                "registrations": {
                    "enabled": True,
                    "approval_required": False,
                    "message": None,
                    "url": request.build_absolute_uri(reverse("accounts:signup")),
                },
                "api_versions": {"mastodon": 2},
                "contact": {"email": _contact_email(), "account": None},
                "rules": [],
            }
        )


NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0"


@require_safe
def nodeinfo_links(request):
    href = request.build_absolute_uri(reverse("mastodon-nodeinfo"))
    return JsonResponse({"links": [{"rel": NODEINFO_SCHEMA, "href": href}]})


@require_safe
def nodeinfo(request):
    stats = site_stats()
    return JsonResponse(
        {
            "version": "2.0",
            "software": {"name": "shutter", "version": SHUTTER_VERSION},
            "protocols": [],
            "services": {"inbound": [], "outbound": []},
            "openRegistrations": True,
            "usage": {
                "users": {"total": stats["user_count"]},
                "localPosts": stats["status_count"],
            },
            "metadata": {"nodeName": TITLE},
        },
        content_type=f'application/json; profile="{NODEINFO_SCHEMA}#"',
    )
