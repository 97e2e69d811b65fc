"""The posts endpoints under /api/v1/ (names in the "api" namespace)."""

from django.urls import path

from posts.api import views

urlpatterns = [
    path("posts/", views.PostCreateView.as_view(), name="post-create"),
    path("posts/<int:post_id>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:post_id>/like/", views.PostLikeView.as_view(), name="post-like"),
    path("posts/<int:post_id>/likes/", views.PostLikersView.as_view(), name="post-likers"),
    path("posts/<int:post_id>/save/", views.PostSaveView.as_view(), name="post-save"),
    path("posts/<int:post_id>/comments/", views.PostCommentsView.as_view(), name="post-comments"),
    path("comments/<int:comment_id>/", views.CommentDetailView.as_view(), name="comment-detail"),
    path(
        "comments/<int:comment_id>/replies/",
        views.CommentRepliesView.as_view(),
        name="comment-replies",
    ),
    path("comments/<int:comment_id>/like/", views.CommentLikeView.as_view(), name="comment-like"),
    path("saved/", views.SavedPostsView.as_view(), name="saved"),
    path("feed/", views.FeedView.as_view(), name="feed"),
    path("explore/", views.ExploreView.as_view(), name="explore"),
    path("tags/<str:name>/posts/", views.TagPostsView.as_view(), name="tag-posts"),
]
