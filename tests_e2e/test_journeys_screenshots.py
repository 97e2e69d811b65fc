"""What a person sees: the feed, a post and a profile, on a desktop and a phone, in light and
dark. The pictures land in artifacts/screenshots/ (<page>-<scheme>-<desktop|phone>.png) for
anyone to look at; the test also checks what a picture can't be trusted to show: nothing is
wider than a phone, every image loads, and dark really is dark."""

import re

import pytest
from playwright.sync_api import expect

from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from posts.services import comment_add, like_add
from posts.tests.factories import photo_upload
from social.graph.services import follow_create

SCHEMES = ("light", "dark")


@pytest.fixture
def neighbourhood(share):
    """Maya, two people she follows, and what they shared, liked and said this week."""
    maya = UserFactory(username="maya", display_name="Maya Lind")
    user_profile_update(
        user=maya,
        bio="Film and street photography. Coffee first. #35mm",
        website="https://maya.example.com",
        avatar=photo_upload("maya.jpg", seed=101, size=(400, 400)),
    )
    jonas = UserFactory(username="jonas.berg", display_name="Jonas Berg")
    user_profile_update(user=jonas, avatar=photo_upload("jonas.jpg", seed=102, size=(400, 400)))
    aiko = UserFactory(username="aiko_t", display_name="Aiko Tanaka")
    for person in (jonas, aiko):
        follow_create(follower=maya, following=person)
        follow_create(follower=person, following=maya)

    for number in range(1, 6):
        share(maya, caption=f"Roll {number}, frame {number * 3}. #35mm #streetphotography")
    hills = share(
        jonas,
        caption="Weekend in the hills with @maya. Three days, one tent, no signal. #hiking #autumn",
        photos=3,
        alt_texts=["A ridge above the clouds", "A tent at dusk", "Boots drying by a fire"],
    )
    share(
        aiko,
        caption=(
            "Tried the new ramen place by the station tonight. The broth took them eighteen "
            "hours, the queue took us forty minutes, and both were worth it. Going back on "
            "Friday with everyone who missed it. #food #tokyo #nightout"
        ),
        size=(480, 600),
        alt_texts=["A bowl of ramen with an egg and spring onions"],
    )
    for person in (maya, aiko):
        like_add(user=person, post=hills)
    comment_add(author=aiko, post=hills, text="That second one! @jonas.berg print it please")
    comment_add(author=maya, post=hills, text="Already missing the quiet. #hiking")
    return maya, hills


def _check_what_a_person_sees(tab, scheme, viewports):
    for label, viewport in viewports.items():
        tab.set_viewport_size(viewport)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{tab.url} is {overflow}px wider than a {label} screen"
    tab.set_viewport_size(viewports["desktop"])
    broken = tab.evaluate(
        "[...document.images].filter(img => !(img.complete && img.naturalWidth)).map(i => i.src)"
    )
    assert not broken, f"images that did not load on {tab.url}: {broken}"
    background = _luminance(tab.evaluate("getComputedStyle(document.body).backgroundColor"))
    text = _luminance(tab.evaluate("getComputedStyle(document.body).color"))
    assert (background < 0.2) == (scheme == "dark"), f"the {scheme} page has the wrong background"
    # WCAG's contrast ratio; 4.5 is the minimum for body text.
    contrast = (max(background, text) + 0.05) / (min(background, text) + 0.05)
    assert contrast >= 4.5, f"text is hard to read on the {scheme} page ({contrast:.1f}:1)"


def _luminance(css_colour):
    """Relative luminance (0 black … 1 white) of a computed `rgb(r, g, b)` colour."""
    channels = [int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_of_feed_post_and_profile(
    live_server, page, log_in, screenshots, viewports, neighbourhood, scheme
):
    maya, hills = neighbourhood
    log_in(page, maya)
    page.emulate_media(color_scheme=scheme)
    pages = {
        "feed": ("/", "article.post"),
        "post": (f"/p/{hills.pk}/", ".comments .comment"),
        "profile": ("/u/maya/", ".grid__item"),
    }
    for name, (path, content) in pages.items():
        page.goto(path)
        expect(page.locator(content).first).to_be_visible()
        paths = screenshots(page, f"{name}-{scheme}")
        assert all(path.stat().st_size > 10_000 for path in paths)
        _check_what_a_person_sees(page, scheme, viewports)
