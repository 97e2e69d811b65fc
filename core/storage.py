"""Uploads in S3-compatible object storage (SHUTTER_MEDIA_STORAGE=s3), for more than one web
machine: every machine and worker reads and writes the same bucket.

Pages keep linking `/media/<name>`, as with files on disk, so the one access rule
(posts.views.media) still decides who gets a file. An allowed request is redirected to the
object: a presigned URL that expires (SHUTTER_S3_URL_SECONDS) for a private file; for a public
one, a plain URL under SHUTTER_S3_PUBLIC_URL (a CDN that may read the bucket) when that is set,
so browsers and the CDN cache it, else a presigned URL too. The bucket itself stays private:
objects are written without a public ACL.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        """The site's own address for the file; the media view redirects to the object."""
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"

    def object_url(self, name, *, public):
        """Where the client may fetch the object itself, once the view has allowed it."""
        base = settings.SHUTTER_S3_PUBLIC_URL
        if public and base:
            return f"{base.rstrip('/')}/{filepath_to_uri(name)}"
        return super().url(name, expire=settings.SHUTTER_S3_URL_SECONDS)
