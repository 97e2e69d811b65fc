"""The hourly upload budget: how many pixels one account may have decoded, posts and avatars
together (SHUTTER["UPLOAD_PIXELS_PER_HOUR"], from SHUTTER_UPLOAD_MEGAPIXELS_PER_HOUR).

Decoding is what an upload costs the server, whatever the file's size on the wire, so that is
what is counted: the pixels after a JPEG's reduced-scale decode, before any of them is
decoded. A request that would go over is refused whole, before decoding or storing anything.

Counted in the cache per account and clock hour, with atomic cache.add and cache.incr, so
parallel uploads from many processes are all counted. When the cache is down the budget is
not enforced: uploading keeps working, bounded per image by the pixel caps.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

HOUR = 3600


class UploadBudgetExceeded(ValidationError):
    """The account's hourly budget of decoded pixels is spent; `retry_after` in seconds.

    A ValidationError, so any path that shows refusals shows this one; the API and the
    upload pages answer it with 429 and Retry-After.
    """

    def __init__(self, *, field, retry_after, budget, asked):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        message = (
            f"You have uploaded a lot of images in the last hour: the limit is "
            f"{budget / 1_000_000:g} megapixels per hour and this needs "
            f"{asked / 1_000_000:.1f} more. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}."
        )
        super().__init__({field: [ValidationError(message, code="upload_budget")]})


def _key(user_id, hour):
    return f"upload-budget:v1:{user_id}:{hour}"


def upload_budget_charge(*, user_id, pixels, field):
    """Take `pixels` from the account's budget of this hour, or raise UploadBudgetExceeded
    (on `field`) and take nothing."""
    budget = settings.SHUTTER["UPLOAD_PIXELS_PER_HOUR"]
    now = time.time()
    hour = int(now // HOUR)
    retry_after = max(1, math.ceil((hour + 1) * HOUR - now))
    key = _key(user_id, hour)
    try:
        # add() opens the hour's counter only if none exists; incr() is atomic on Redis and
        # locmem, so two parallel uploads can't both squeeze under the limit.
        cache.add(key, 0, HOUR + 60)
        spent = cache.incr(key, pixels)
    except ValueError:  # the counter expired between add() and incr()
        cache.add(key, pixels, HOUR + 60)
        spent = pixels
    if spent is None:
        # django-redis answers None when Redis is down (IGNORE_EXCEPTIONS): nothing to count on.
        logger.warning("Upload budget not counted: the cache is unavailable")
        return
    if spent > budget:
        cache.decr(key, pixels)
        raise UploadBudgetExceeded(
            field=field, retry_after=retry_after, budget=budget, asked=pixels
        )
