"""Uploaded files: names nobody can guess, and the one way a file leaves the server.

Every stored file gets a random name, so knowing a post's or an account's id says nothing about
where its photos are. Every `/media/<name>` request goes through one view that asks the owning
app whether this viewer may have the file (`posts.views.media`); the answer is built here:

- `SHUTTER_MEDIA_ACCEL_PREFIX` empty (make run, tests): Django streams the file itself.
- set (production behind nginx): an empty response with `X-Accel-Redirect: <prefix><name>`, and
  nginx sends the bytes from an `internal` location, so Python never carries a photo.
"""

import enum
import mimetypes
import posixpath
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.utils.cache import patch_vary_headers

# 128 random bits: unguessable, and the first two hex digits spread files over 256 folders.
TOKEN_BYTES = 16
NAME_MAX_LENGTH = 100  # Django's FileField default; no stored name is longer
PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, max-age=3600"
# A private answer depends on who asks: by session cookie (pages) or API token (apps).
PRIVATE_VARY = ("Cookie", "Authorization")
ACCEL_HEADER = "X-Accel-Redirect"


class MediaAccess(enum.Enum):
    """How a viewer may have a file they are allowed to see."""

    PUBLIC = "public"  # anyone, signed in or not: browsers and CDNs may keep it for a year
    PRIVATE = "private"  # only some viewers: their browser may keep it, shared caches may not


def random_media_name(folder, filename):
    """`<folder>/<2 hex>/<32 hex>.<extension of filename>`: nothing in it comes from an id."""
    token = secrets.token_hex(TOKEN_BYTES)
    extension = posixpath.splitext(filename)[1].lower() or ".jpg"
    return f"{folder}/{token[:2]}/{token}{extension}"


def media_name_clean(name):
    """`name` if it can be a stored file name, else None: no `..`, no absolute or odd paths.

    Refused names never reach the database or the disk; names are only ever looked up as they
    are stored, so this is a cheap early 404, not the only guard.
    """
    if not name or len(name) > NAME_MAX_LENGTH or "\\" in name or "\x00" in name:
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return name


def media_reviewer(viewer, permission):
    """Staff who may view the owning rows in the admin get their files whatever their state:
    moderators judge (and restore) removed posts and suspended accounts by their pictures."""
    return bool(
        viewer is not None
        and viewer.is_authenticated
        and viewer.is_staff
        and viewer.has_perm(permission)
    )


def media_response(name, *, access):
    """The answer for a file the viewer may have; None when storage has lost it."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = settings.SHUTTER_MEDIA_ACCEL_PREFIX
    object_url = getattr(default_storage, "object_url", None)
    if object_url is not None:
        # Object storage (core/storage.py): the client fetches the object from there.
        response = HttpResponseRedirect(object_url(name, public=access is MediaAccess.PUBLIC))
    elif prefix:
        response = HttpResponse(content_type=content_type)
        # nginx expects the URI escaped (since 1.5.9) and unescapes it before the lookup.
        response[ACCEL_HEADER] = quote(f"{prefix.rstrip('/')}/{name}")
    else:
        try:
            response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        except FileNotFoundError:
            return None
    # A redirect to a presigned link must not outlive the link (SHUTTER_S3_URL_SECONDS).
    presigned = object_url is not None and not (
        access is MediaAccess.PUBLIC and settings.SHUTTER_S3_PUBLIC_URL
    )
    if access is MediaAccess.PUBLIC and not presigned:
        response["Cache-Control"] = PUBLIC_CACHE
    else:
        response["Cache-Control"] = PRIVATE_CACHE
        patch_vary_headers(response, PRIVATE_VARY)
    return response


def media_not_found():
    """One answer for "no such file" and "not yours to see", kept by no cache."""
    response = HttpResponseNotFound("Not found.", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
