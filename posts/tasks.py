"""Celery tasks of the posts app: load by id, call a service."""

from celery import shared_task

from posts.services import post_image_variants_create


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def post_image_variants_make(image_id):
    """Make the display and thumbnail variants of PostImage `image_id` (idempotent).

    Storage hiccups (OSError) are retried with backoff.
    """
    post_image_variants_create(image_id=image_id)
