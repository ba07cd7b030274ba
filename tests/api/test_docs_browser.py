"""The API documentation page in a real browser: Swagger UI renders every operation and "try it
out" works with the browser session, under the site's strict Content-Security-Policy and without
a single request leaving the server (closed network)."""

from pathlib import Path
from typing import Any

import pytest

from tiltas.accounts.models import Organisation
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD, load_test_profile

CHROMIUM = Path("/usr/bin/chromium")
PERSONS = "/api/v1/persons/"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_and_calls_the_api_under_the_csp(live_server: Any) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    load_test_profile("lt")
    # A demo account signs in with its password alone, which keeps this test about the page.
    user_create(
        username="docs-reader",
        organisation=Organisation.objects.get(code="LT-LCPB"),
        roles=["caseworker"],
        password=TEST_PASSWORD,
        is_demo=True,
    )
    base = live_server.url
    problems: list[str] = []
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda message: (
                    problems.append(message.text)
                    # A missing favicon is the layout's business, not this page's.
                    if message.type == "error" and "favicon" not in str(message.location)
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "request",
                lambda request: (
                    outside.append(request.url)
                    if not request.url.startswith((base, "data:"))
                    else None
                ),
            )
            page.goto(f"{base}/api/docs/")
            page.fill("input[name=username]", "docs-reader")
            page.fill("input[name=password]", TEST_PASSWORD)
            page.get_by_role("button", name="Continue").click()
            page.wait_for_selector(".opblock", timeout=20_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert "/api/v1/persons/search/" in paths

            listing = page.locator(".opblock-get .opblock-summary-path", has_text=PERSONS)
            listing.first.click()
            page.click("button.try-out__btn")
            page.click("button.execute")
            status = page.locator(".live-responses-table tbody .response-col_status").first
            status.wait_for(timeout=10_000)
            assert status.inner_text().strip() == "200"
        finally:
            browser.close()
    assert problems == [], problems
    assert outside == [], outside
