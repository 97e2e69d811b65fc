"""Media uploaded before its status: POST answers 202 while the display and preview variants
are being made (200 once they are), GET answers 206 until then and 200 with every URL after.
The checks are post_create's (posts.services.uploads)."""

from django.core.exceptions import ValidationError
from rest_framework import status as http
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from posts.selectors import media_upload_get
from posts.services.uploads import media_upload_create, media_upload_update
from social.mastodon import entities
from social.mastodon.params import id_param, str_param
from social.mastodon.views.base import MastodonView


def _answer(request, upload, *, ready_status=http.HTTP_200_OK, pending_status):
    data = entities.media_attachment(request, upload)
    if not upload.display:
        if pending_status != http.HTTP_200_OK:
            # Mastodon's shape while processing: no url until the variants are there.
            data["url"] = None
        return Response(data, status=pending_status)
    return Response(data, status=ready_status)


class MediaCreateView(MastodonView):
    oauth_scopes = "write:media"
    parser_classes = [MultiPartParser, FormParser]
    # v1 waits for nothing and always says 200; v2 says 202 while variants are being made.
    pending_status = http.HTTP_202_ACCEPTED
    success_statuses = {"POST": ("200", "202")}

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Send the image as the multipart field `file`."]})
        row = media_upload_create(
            owner=request.user,
            upload=upload,
            alt_text=str_param(self.data, "description"),
            focus=str_param(self.data, "focus") or None,
        )
        row.refresh_from_db()
        return _answer(request, row, pending_status=self.pending_status)


class MediaCreateV1View(MediaCreateView):
    pending_status = http.HTTP_200_OK
    success_statuses = {"POST": ("200",)}


class MediaDetailView(MastodonView):
    oauth_scopes = "write:media"
    success_statuses = {"GET": ("200", "206")}
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get(self, request, media_id):
        row = media_upload_get(viewer=request.user, upload_id=id_param(media_id))
        return _answer(request, row, pending_status=http.HTTP_206_PARTIAL_CONTENT)

    def put(self, request, media_id):
        data = self.data
        row = media_upload_update(
            owner=request.user,
            upload_id=id_param(media_id),
            alt_text=str_param(data, "description") if "description" in data else None,
            focus=str_param(data, "focus") or None,
        )
        return _answer(request, row, pending_status=http.HTTP_200_OK)
