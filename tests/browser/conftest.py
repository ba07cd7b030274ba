"""Driving the Debian Chromium with Playwright against the live test server.

Never `playwright install`: the machine's network is closed and the browser is the system one.
The browser tests skip only where /usr/bin/chromium is missing and TILTAS_REQUIRE_BROWSER is unset
(CI sets it, so there a missing browser is a failure)."""

from __future__ import annotations

import os
import re
from binascii import unhexlify
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiltas.accounts.models import User
from tiltas.accounts.testing import TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 768, "height": 1024}
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# Served to the page under the site's own origin by Playwright, so the CSP (script-src 'self')
# stays on and still lets it in; the request never reaches the server.
AXE_URL_PATH = "/static/__tests__/axe.min.js"


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("TILTAS_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing and TILTAS_REQUIRE_BROWSER is set")
    pytest.skip(f"{CHROMIUM} is missing (install the Debian chromium package)")


@dataclass(frozen=True)
class Account:
    """A test user whose TOTP key the test knows, as a phone app would."""

    username: str
    password: str
    totp_key: str

    def code(self) -> str:
        """The code the user's authenticator app shows now."""
        device_digits = 6
        value = totp(unhexlify(self.totp_key), digits=device_digits)
        return f"{value:0{device_digits}d}"


def account_for(user: User) -> Account:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return Account(username=user.get_username(), password=TEST_PASSWORD, totp_key=device.key)


@dataclass
class PageWatch:
    """What went wrong in the page besides the assertions: CSP violations, script errors, and
    every URL requested (so a test can prove no name ever travelled in one, API-05)."""

    problems: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


@pytest.fixture
def chromium(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for one test (launched after the live server and the database)."""
    _require_browser()
    # Playwright's sync API keeps an asyncio loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard must be told so.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Opens pages at tablet width, each in its own context (its own cookies); fails the test on
    any CSP violation or script error."""
    contexts = []
    watches: list[PageWatch] = []
    axe_source = AXE_SOURCE.read_text(encoding="utf-8")

    def open_page() -> tuple[Any, PageWatch]:
        context = chromium.new_context(
            viewport=TABLET, base_url=live_server.url, locale="en-GB", service_workers="block"
        )
        contexts.append(context)
        context.route(
            re.compile(re.escape(AXE_URL_PATH) + "$"),
            lambda route: route.fulfill(
                status=200, content_type="application/javascript", body=axe_source
            ),
        )
        page = context.new_page()
        watch = PageWatch()
        watches.append(watch)

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text or message.type == "error":
                watch.problems.append(f"console {message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.problems.append(f"page error: {error}"))
        page.on("request", lambda request: watch.urls.append(request.url))
        return page, watch

    yield open_page
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert problems == []


def log_in(page: Any, account: Account) -> None:
    """Through the real pages: password, then the code the authenticator shows."""
    page.goto("/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", account.username)
    page.fill("#id_password", account.password)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/second-factor/"))
    page.fill("#id_otp_token", account.code())
    page.locator("form[action='/accounts/second-factor/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def axe_serious_violations(page: Any) -> list[str]:
    """Run the vendored axe-core in the page; the violations of impact serious or critical."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL_PATH)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
    results = page.evaluate("async () => await window.axe.run(document)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
