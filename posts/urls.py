"""The posts pages (URL map of PRODUCT.md): feeds and discovery, posts, and their actions."""

from django.urls import path

from posts.views import actions, comments, feeds, posts

app_name = "posts"
urlpatterns = [
    path("", feeds.home, name="home"),
    path("explore/", feeds.explore, name="explore"),
    path("tags/<str:name>/", feeds.tag, name="tag"),
    path("search/", feeds.search, name="search"),
    path("people/suggested/", feeds.people_suggested, name="people-suggested"),
    path("saved/", feeds.saved, name="saved"),
    path("p/new/", posts.post_new, name="post-new"),
    path("p/<int:post_id>/", posts.post_detail, name="post-detail"),
    path("p/<int:post_id>/edit/", posts.post_edit, name="post-edit"),
    path("p/<int:post_id>/delete/", posts.post_delete_page, name="post-delete"),
    path("p/<int:post_id>/report/", posts.post_report, name="post-report"),
    path("p/<int:post_id>/like/", actions.like, name="like"),
    path("p/<int:post_id>/unlike/", actions.unlike, name="unlike"),
    path("p/<int:post_id>/save/", actions.save, name="save"),
    path("p/<int:post_id>/unsave/", actions.unsave, name="unsave"),
    path("p/<int:post_id>/comments/", actions.comment_create, name="comment-add"),
    path("comments/<int:comment_id>/delete/", actions.comment_delete, name="comment-delete"),
    path("comments/<int:comment_id>/report/", posts.comment_report, name="comment-report"),
    path("comments/<int:comment_id>/replies/", comments.comment_replies, name="comment-replies"),
    path("comments/<int:comment_id>/reply/", comments.comment_reply, name="comment-reply"),
    path("comments/<int:comment_id>/like/", comments.comment_like, name="comment-like"),
    path("comments/<int:comment_id>/unlike/", comments.comment_unlike, name="comment-unlike"),
]
