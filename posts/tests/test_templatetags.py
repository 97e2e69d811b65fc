import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest

from posts.models import PostImage
from posts.services.text import hashtags_in, mentions_in
from posts.templatetags.shutter import ago, count_short, frame_ratio, linkify, thumb_srcset


def test_linkify_escapes_html_and_keeps_line_breaks():
    html = linkify('<script>alert("x")</script>\nsecond line')

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.endswith("<br>second line")


def test_linkify_links_hashtags_lowercased_and_mentions():
    html = linkify("Sunset at #MalibuBeach with @ana.b.")

    assert '<a class="tag" href="/tags/malibubeach/">#MalibuBeach</a>' in html
    # The full stop ends the sentence, not the username.
    assert '<a class="mention" href="/u/ana.b/">@ana.b</a>.' in html


def test_linkify_leaves_emails_numbers_and_entities_alone():
    html = linkify("Mail bob@example.com about #2024 & tom's dog")

    assert "<a" not in html
    assert "tom&#x27;s" in html


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (999, "999"), (9_999, "9,999"), (12_345, "12.3K"), (999_999, "1M"), (2e9, "2B")],
)
def test_count_short_fits_big_counts_in_a_profile_header(count, shown):
    assert count_short(count) == shown


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(seconds=30), "now"),
        (timedelta(minutes=5), "5m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=2), "2d"),
        (timedelta(weeks=4), "4w"),
        (timedelta(weeks=10), "Mar 23"),
        (timedelta(days=400), "Apr 27, 2025"),
    ],
)
def test_ago_prints_ages_the_way_photo_apps_do(age, shown):
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

    assert ago(now - age, now) == shown


def test_carousel_frame_is_clamped_between_portrait_4_5_and_landscape_1_91():
    assert frame_ratio(PostImage(width=1000, height=3000)) == "0.8000"
    assert frame_ratio(PostImage(width=4000, height=1000)) == "1.9100"
    assert frame_ratio(PostImage(width=1200, height=800)) == "1.5000"


def test_grid_tile_prefers_the_thumbnail_then_the_display_variant():
    image = PostImage(
        image="posts/1/o.jpg",
        display="posts/1/d.jpg",
        thumbnail="posts/1/t.jpg",
        width=3000,
        height=2000,
    )

    assert thumb_srcset(image) == "/media/posts/1/t.jpg 320w, /media/posts/1/d.jpg 1080w"


@pytest.mark.parametrize(
    "text",
    [
        "#2024trip #2024_ #1 a#b example.com/#anchor &#39; #Café #東京",
        "cc @jane.doe. (@Zoë) me@example.com @ann+ @-x @bob#tag #tag@bob",
        "#" + "a" * 101 + " #" + "b" * 100,
    ],
)
def test_linkify_links_exactly_the_tags_and_mentions_the_services_store(text):
    html = linkify(text)

    linked_tags = re.findall(r'<a class="tag" href="/tags/([^/]+)/">', html)
    linked_mentions = re.findall(r'<a class="mention" href="/u/([^/]+)/">', html)
    assert [unquote(tag) for tag in linked_tags] == hashtags_in(text)
    assert linked_mentions == mentions_in(text)
