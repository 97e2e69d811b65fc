"""Every write of the posts app, by concern; import them from here."""

from posts.services.comments import (
    comment_add,
    comment_counters_shift,
    comment_delete,
    comment_like_add,
    comment_like_remove,
    comment_thread_lock,
)
from posts.services.engagement import (
    like_add,
    like_remove,
    post_counters_recount,
    save_add,
    save_remove,
)
from posts.services.posts import (
    post_author_check,
    post_create,
    post_delete,
    post_image_variants_create,
    post_update,
)

__all__ = [
    "comment_add",
    "comment_counters_shift",
    "comment_delete",
    "comment_like_add",
    "comment_like_remove",
    "comment_thread_lock",
    "like_add",
    "like_remove",
    "post_author_check",
    "post_counters_recount",
    "post_create",
    "post_delete",
    "post_image_variants_create",
    "post_update",
    "save_add",
    "save_remove",
]
