"""Timeline markers (where a reader stopped), the Mastodon API's own table: read and save."""

from django.db.models import F

from core.transactions import write_transaction
from social.mastodon.models import Marker

TIMELINES = tuple(Marker.Timeline.values)
ID_MAX = Marker._meta.get_field("last_read_id").max_length


def markers_get(*, user, timelines):
    """{timeline: Marker} of `user`'s markers among `timelines`."""
    rows = Marker.objects.filter(user=user, timeline__in=timelines)
    return {row.timeline: row for row in rows}


def marker_save(*, user, timeline, last_read_id):
    """Move `user`'s marker of `timeline` to `last_read_id`; each save moves its version on."""
    if timeline not in TIMELINES:
        raise ValueError(f"No timeline {timeline!r}.")
    last_read_id = str(last_read_id)[:ID_MAX]
    with write_transaction():
        updated = Marker.objects.filter(user=user, timeline=timeline).update(
            last_read_id=last_read_id, version=F("version") + 1
        )
        if not updated:
            Marker.objects.get_or_create(
                user=user, timeline=timeline, defaults={"last_read_id": last_read_id}
            )
    return Marker.objects.get(user=user, timeline=timeline)
