"""Celery tasks of the posts app: load by id, call a service. Retries live here."""

from celery import shared_task

from core.outbox import outbox_task
from posts.services import post_counters_recount, post_image_variants_create, uploads


# Storage hiccups (OSError) and a database briefly away are retried with backoff.
@outbox_task(soft_time_limit=90, time_limit=120)
def post_image_variants_make(image_id):
    """Make the display and thumbnail variants of PostImage `image_id` (idempotent)."""
    post_image_variants_create(image_id=image_id)


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1500)
def post_counters_recount_all():
    """Repair drifted like and comment counters of every post (daily)."""
    return post_counters_recount()


@outbox_task(soft_time_limit=90, time_limit=120)
def media_upload_variants_make(upload_id):
    """Make the display and thumbnail variants of MediaUpload `upload_id` (idempotent)."""
    uploads.media_upload_variants_create(upload_id=upload_id)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def media_uploads_prune():
    """Delete uploads no post used within a day, and their files (hourly)."""
    return uploads.media_uploads_prune()
