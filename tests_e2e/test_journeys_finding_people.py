"""Finding people (issue 13, point 6) in a real browser: suggestions as you type in the search
box (keyboard and mouse, the Enter path unchanged), following from "Suggested for you" on the
empty feed, and from a post's header. Screenshots of the suggestions, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from social.graph.models import Follow
from social.graph.services import block_create, follow_create


@pytest.mark.django_db(transaction=True)
def test_typing_a_surname_suggests_the_account_and_the_arrow_keys_open_it(
    live_server, page, log_in
):
    me = UserFactory(username="noor", display_name="Noor")
    UserFactory(username="alice_m", display_name="Alice Martin", follower_count=3)
    UserFactory(username="martina", display_name="Tina", follower_count=1)
    UserFactory(username="bob", display_name="Bob Stone")
    log_in(page, me)
    page.goto("/")

    box = page.locator("#topbar-q")
    box.press_sequentially("Martin", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    # Ranked as the search page: a name starting with it, then a word inside starting with it.
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("martina")
    expect(options.nth(1)).to_contain_text("alice_m")
    expect(options.nth(1)).to_contain_text("Alice Martin")
    expect(box).to_have_attribute("aria-expanded", "true")

    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-u1$"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.fill("alice")
    expect(listbox.get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(live_server.url + "/u/alice_m/")


@pytest.mark.django_db(transaction=True)
def test_enter_without_choosing_still_opens_the_search_page_and_a_click_opens_a_profile(
    live_server, page, log_in
):
    me = UserFactory(username="noor", display_name="Noor")
    UserFactory(username="alice_m", display_name="Alice Martin")
    log_in(page, me)
    page.goto("/")

    box = page.locator("#topbar-q")
    box.press_sequentially("martin", delay=30)
    expect(page.get_by_role("option")).to_have_count(1)
    box.press("Enter")
    expect(page).to_have_url(live_server.url + "/search/?q=martin")
    expect(page.locator('[data-search-results="people"]')).to_contain_text("Alice Martin")

    # The search page's own box has suggestions too; a click on one opens it.
    own_box = page.locator("#search-q")
    own_box.fill("")
    own_box.press_sequentially("alice", delay=30)
    page.get_by_role("option", name=re.compile("alice_m")).click()
    expect(page).to_have_url(live_server.url + "/u/alice_m/")


@pytest.mark.django_db(transaction=True)
def test_a_new_member_follows_a_friend_of_a_friend_from_the_empty_feed(live_server, page, log_in):
    me = UserFactory(username="noor", display_name="Noor")
    friend = UserFactory(username="sami", display_name="Sami")
    follow_create(follower=me, following=friend)
    fof = UserFactory(username="lena", display_name="Lena Park")
    follow_create(follower=friend, following=fof)
    UserFactory(username="blocked_star", follower_count=999)
    block_create(blocker=me, blocked=UserFactory(username="nope", follower_count=500))
    log_in(page, me)

    page.goto("/")
    suggestions = page.locator("[data-suggestions]")
    expect(suggestions).to_contain_text("Suggested for you")
    lena = suggestions.locator(".user-row").filter(has_text="lena")
    expect(lena).to_contain_text("Followed by sami")
    expect(suggestions).not_to_contain_text("nope")
    lena.get_by_role("button", name="Follow lena").click()
    expect(lena.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    assert Follow.objects.filter(follower=me, following=fof, status="accepted").exists()

    suggestions.get_by_role("link", name=re.compile("See all")).click()
    expect(page).to_have_url(live_server.url + "/people/suggested/")
    expect(page.locator("[data-suggestions]")).not_to_contain_text("lena")
    expect(page.locator("[data-suggestions]")).to_contain_text("blocked_star")


@pytest.mark.django_db(transaction=True)
def test_following_from_a_post_header(live_server, page, log_in, share):
    author = UserFactory(username="ines")
    post = share(author, caption="Harbour", alt_texts=["Boats at dawn"])
    me = UserFactory(username="noor")
    log_in(page, me)

    page.goto(f"/p/{post.pk}/")
    header = page.locator(f"#post-{post.pk} .post__header")
    header.get_by_role("button", name="Follow ines").click()
    expect(header.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    assert Follow.objects.filter(follower=me, following=author).exists()
    page.reload()
    expect(page.locator(f"#post-{post.pk} .post__header .post__follow")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_suggestions(live_server, page, log_in, screenshots, scheme):
    me = UserFactory(username="noor", display_name="Noor")
    friends = [UserFactory(username=name) for name in ("sami", "yara")]
    for friend in friends:
        follow_create(follower=me, following=friend)
    for n, name in enumerate(("lena", "omar", "kai")):
        person = UserFactory(username=name)
        for friend in friends[: 1 + n % 2]:
            follow_create(follower=friend, following=person)
    # A private account, followed by a friend: suggested, with its lock and nothing more.
    type(me).objects.filter(username="kai").update(is_private=True)
    UserFactory(username="popular_pics", display_name="Popular Pics", follower_count=120)
    log_in(page, me)
    page.emulate_media(color_scheme=scheme)

    page.goto("/people/suggested/")
    expect(page.locator("[data-suggestions] .user-row")).to_have_count(4)
    paths = screenshots(page, f"suggestions-{scheme}")
    assert all(path.stat().st_size > 5_000 for path in paths)
    page.goto("/")
    box = page.locator("#topbar-q")
    box.press_sequentially("o", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    page.screenshot(path=str(paths[0].with_name(f"search-typeahead-{scheme}-desktop.png")))
