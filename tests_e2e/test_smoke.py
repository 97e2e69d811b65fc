import pytest


@pytest.mark.django_db(transaction=True)
def test_home_page_loads_in_a_real_browser(live_server, page, screenshots):
    response = page.goto(live_server.url + "/")

    assert response.status == 200
    assert "Shutter" in page.title()
    paths = screenshots(page, "home-visitor")
    assert all(path.stat().st_size > 0 for path in paths)


@pytest.mark.django_db(transaction=True)
def test_site_look_and_scripts_reach_the_browser(live_server, page, screenshots):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    # app.css applied: the top bar stays on screen; app.js ran: it marks the page.
    assert page.locator(".topbar").evaluate("el => getComputedStyle(el).position") == "sticky"
    assert page.evaluate("document.documentElement.classList.contains('js')")
    screenshots(page, "not-found")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
