"""Statuses: a post is a status with its images; a comment is a status replying to its post
(ids: social.mastodon.entities). Creating one names uploaded media (a post needs at least one
image); replying (in_reply_to_id) comments on the post, or on the post of the comment replied
to. Every read and write goes through posts.selectors and posts.services."""

from django.core.exceptions import ValidationError
from rest_framework.response import Response

from posts.models import Post
from posts.selectors import (
    comment_detail,
    post_comments,
    post_detail,
    post_likers,
    post_target_get,
)
from posts.services import (
    comment_add,
    comment_delete,
    like_add,
    like_remove,
    post_delete,
    post_update,
    save_add,
    save_remove,
)
from posts.services.uploads import post_create_from_uploads
from social.mastodon import entities
from social.mastodon.pagination import Listing, paged_response
from social.mastodon.params import RecordNotFound, id_param, list_param, str_param
from social.mastodon.views.base import MastodonView

LIKERS_ORDER = (("liked_at", "desc"), ("like_id", "desc"))
# /context lists at most this many comments (pages of the comments selector).
CONTEXT_PAGES = 5
NOT_FOR_COMMENTS = "Shutter comments can't be {}: only posts can."
NO_MEDIA_ON_REPLIES = "A reply is a comment on Shutter: it can't carry media."


def parse_status(status_id):
    parsed = entities.parse_status_id(status_id)
    if parsed is None:
        raise RecordNotFound("No such status.")
    return parsed


def post_id_of(status_id, what):
    """The post id of a status that must be a post; 422 for a comment."""
    kind, pk = parse_status(status_id)
    if kind == "comment":
        raise ValidationError(NOT_FOR_COMMENTS.format(what))
    return pk


class StatusesView(MastodonView):
    oauth_scopes = "write:statuses"

    @property
    def throttle_scope(self):
        return "comment" if self.data.get("in_reply_to_id") else "post_create"

    def post(self, request):
        data = self.data
        text = str_param(data, "status")
        media_ids = list_param(data, "media_ids")
        reply_to = data.get("in_reply_to_id")
        if reply_to:
            if media_ids:
                raise ValidationError(NO_MEDIA_ON_REPLIES)
            kind, pk = parse_status(reply_to)
            post_id = (
                pk if kind == "post" else comment_detail(viewer=request.user, comment_id=pk).post_id
            )
            comment = comment_add(
                author=request.user, post=post_target_get(post_id=post_id), text=text
            )
            comment = comment_detail(viewer=request.user, comment_id=comment.pk)
            return Response(self.comment_statuses([comment])[0])
        upload_ids = [id_param(value, strict=False) for value in media_ids]
        if None in upload_ids:
            raise ValidationError({"media_ids": ["Media ids are the ids /api/v2/media gave."]})
        post = post_create_from_uploads(author=request.user, upload_ids=upload_ids, caption=text)
        return Response(self.status(post_detail(viewer=request.user, post_id=post.pk)))


class StatusDetailView(MastodonView):
    public = True
    oauth_scopes = {"GET": "read:statuses", "PUT": "write:statuses", "DELETE": "write:statuses"}

    def get_permissions(self):
        self.public = self.request.method == "GET"
        return super().get_permissions()

    def get(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            comment = comment_detail(viewer=request.user, comment_id=pk)
            return Response(self.comment_statuses([comment])[0])
        return Response(self.status(post_detail(viewer=request.user, post_id=pk)))

    def delete(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            comment = comment_detail(viewer=request.user, comment_id=pk)
            data = self.comment_statuses([comment])[0]
            comment_delete(actor=request.user, comment=comment)
            data["text"] = comment.text
        else:
            post = post_detail(viewer=request.user, post_id=pk)
            data = self.status(post)
            post_delete(actor=request.user, post=post_target_get(post_id=pk))
            data["text"] = post.caption
        return Response(data)

    def put(self, request, status_id):
        pk = post_id_of(status_id, "edited")
        post = post_detail(viewer=request.user, post_id=pk)
        data = self.data
        caption = str_param(data, "status") if "status" in data else None
        alt_texts = _alt_texts_from(data, post)
        post_update(
            actor=request.user,
            post=post_target_get(post_id=pk),
            caption=caption,
            alt_texts=alt_texts,
        )
        return Response(self.status(post_detail(viewer=request.user, post_id=pk)))


def _alt_texts_from(data, post):
    """Alt texts in image order from media_attributes ([{id, description}]), or None."""
    images = list(post.images.all())
    media_ids = (
        list_param(data, "media_ids") if ("media_ids" in data or "media_ids[]" in data) else None
    )
    if media_ids is not None and media_ids != [str(image.pk) for image in images]:
        raise ValidationError(
            {"media_ids": ["Shutter can't add, remove or reorder a post's images."]}
        )
    attributes = data.get("media_attributes")
    if not attributes:
        return None
    if not isinstance(attributes, list) or not all(isinstance(a, dict) for a in attributes):
        raise ValidationError({"media_attributes": ["Send media_attributes as a JSON list."]})
    by_id = {str(a.get("id")): a for a in attributes}
    return [
        str(by_id[str(image.pk)].get("description") or "")
        if str(image.pk) in by_id
        else image.alt_text
        for image in images
    ]


class StatusContextView(MastodonView):
    public = True
    oauth_scopes = "read:statuses"

    def get(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            comment = comment_detail(viewer=request.user, comment_id=pk)
            post = post_detail(viewer=request.user, post_id=comment.post_id)
            return Response({"ancestors": [self.status(post)], "descendants": []})
        post = post_detail(viewer=request.user, post_id=pk)
        comments, cursor = [], None
        for _ in range(CONTEXT_PAGES):
            page = post_comments(viewer=request.user, post=post, cursor=cursor, page_size=100)
            comments.extend(page.items)
            if not page.has_next:
                break
            cursor = page.next_cursor
        for comment in comments:
            comment.post = post
        return Response({"ancestors": [], "descendants": self.comment_statuses(comments)})


class _PostActionView(MastodonView):
    what = ""

    def post(self, request, status_id):
        pk = post_id_of(status_id, self.what)
        self.act(request.user, post_target_get(post_id=pk))
        return Response(self.status(post_detail(viewer=request.user, post_id=pk)))


class FavouriteView(_PostActionView):
    oauth_scopes = "write:favourites"
    what = "favourited"

    def act(self, viewer, post):
        like_add(user=viewer, post=post)


class UnfavouriteView(_PostActionView):
    oauth_scopes = "write:favourites"
    what = "favourited"

    def act(self, viewer, post):
        like_remove(user=viewer, post=post)


class BookmarkView(_PostActionView):
    oauth_scopes = "write:bookmarks"
    what = "bookmarked"

    def act(self, viewer, post):
        save_add(user=viewer, post=post)


class UnbookmarkView(_PostActionView):
    oauth_scopes = "write:bookmarks"
    what = "bookmarked"

    def act(self, viewer, post):
        save_remove(user=viewer, post=post)


class NotSupportedView(MastodonView):
    """Actions Shutter has nothing for (reblogs, pins): 422 with why, never a silent 404."""

    oauth_scopes = "write:statuses"
    message = ""

    def post(self, request, status_id):
        parse_status(status_id)
        raise ValidationError(self.message)


class FavouritedByView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:accounts"

    def get(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            comment_detail(viewer=request.user, comment_id=pk)
            return Response([])

        def fetch(cursor, page_size):
            return post_likers(
                viewer=request.user, post=Post(pk=pk), cursor=cursor, page_size=page_size
            )

        return paged_response(request, Listing(LIKERS_ORDER, fetch), self.accounts)


class RebloggedByView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:accounts"

    def get(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            comment_detail(viewer=request.user, comment_id=pk)
        else:
            post_detail(viewer=request.user, post_id=pk)
        return Response([])


class StatusSourceView(MastodonView):
    oauth_scopes = "read:statuses"

    def get(self, request, status_id):
        kind, pk = parse_status(status_id)
        if kind == "comment":
            text = comment_detail(viewer=request.user, comment_id=pk).text
        else:
            text = post_detail(viewer=request.user, post_id=pk).caption
        return Response({"id": str(status_id), "text": text, "spoiler_text": ""})
