"""Every main page at tablet width passes axe-core (vendored) without serious or critical
violations, with the Content-Security-Policy on (any CSP violation also fails the test)."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest

from tests.browser.conftest import TABLET, account_for, axe_serious_violations, log_in
from tiltas.accounts.testing import persona
from tiltas.audit.services import actor_for_user
from tiltas.estimation.selectors import default_lists
from tiltas.estimation.services import EstimationRequest, estimation_run_start
from tiltas.estimation.tests.factories import linked_population
from tiltas.people.identity import PersonInput
from tiltas.people.services import person_create

# A folder to keep screenshots of the checked pages in (for a human look), or unset.
SCREENSHOTS = os.environ.get("TILTAS_SCREENSHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("lt_profile")]


def _assert_accessible(page, name):
    violations = axe_serious_violations(page)
    assert violations == [], f"{name} ({page.url}): {violations}"
    # Nothing wider than a tablet: no sideways scrolling of the page itself.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= TABLET["width"], f"{name} is {width}px wide"
    if SCREENSHOTS:
        language = page.locator("html").get_attribute("lang")
        file_name = f"{language}-{name.replace(' ', '-')}.png"
        page.screenshot(path=os.path.join(SCREENSHOTS, file_name), full_page=True)


def _switch_language(page, language):
    if page.locator("html").get_attribute("lang") == language:
        return
    page.select_option("#language-select", language)
    page.locator("form.language-switcher button[type=submit]").click()
    page.wait_for_selector(f"html[lang={language}]")


def _estimation_runs():
    analyst = persona("LT-VDA", "analyst", username="a11y-analyst")
    linkage_run, _ = linked_population(size=400)
    lists = default_lists()
    references = []
    for stratify_by, chosen in (("sex", lists), ("", lists[:1] + lists[3:4])):
        run = estimation_run_start(
            user=analyst,
            request=EstimationRequest(
                linkage_run=linkage_run,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
                lists=chosen,
                stratify_by=stratify_by,
            ),
            channel="test",
        )
        references.append(run.reference)
    return references


@pytest.mark.parametrize("language", ["en", "lt"])
def test_main_pages_pass_axe_at_tablet_width(new_page, language):
    officer = persona("LT-LCPB", "caseworker", username="a11y-officer")
    person = person_create(
        actor=actor_for_user(officer, channel="web"),
        owner=officer.organisation,
        data=PersonInput(
            given_name="Олена",
            family_name="Коваленко",
            given_name_latin="Olena",
            family_name_latin="Kovalenko",
            citizenships=["UKR"],
            languages=["uk", "ru"],
            document_numbers=["FA123456"],
            notes="Met at the bus station.",
        ),
        created_by=officer,
    )
    rapporteur = persona("LT-NR", "rapporteur", username="a11y-rapporteur")
    officer_account, rapporteur_account = account_for(officer), account_for(rapporteur)

    page, _ = new_page()
    page.goto("/accounts/login/")
    _switch_language(page, language)
    _assert_accessible(page, "login")

    page.fill("#id_username", officer_account.username)
    page.fill("#id_password", officer_account.password)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/second-factor/"))
    _assert_accessible(page, "second factor")
    page.fill("#id_otp_token", officer_account.code())
    page.locator("form[action='/accounts/second-factor/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    _assert_accessible(page, "home")

    for name, path in (
        ("person list", "/people/"),
        ("create form", "/people/new/"),
        ("detail", f"/people/{person.pk}/"),
        ("edit form", f"/people/{person.pk}/edit/"),
    ):
        page.goto(path)
        _assert_accessible(page, name)

    # The states that show messages: form errors and search results.
    page.goto("/people/new/")
    page.locator("#id_citizenships").fill("XXX")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    _assert_accessible(page, "create form with errors")

    page.goto("/people/")
    page.locator("#id_name").fill("Kovalenko")
    page.locator("#person-search button[type=submit]").click()
    page.locator("#person-search .search-results table").wait_for()
    _assert_accessible(page, "search results")

    oversight, _ = new_page()
    log_in(oversight, rapporteur_account)
    _switch_language(oversight, language)
    _assert_accessible(oversight, "rapporteur home")
    oversight.goto(f"/audit/?record={person.pk}")
    _assert_accessible(oversight, "audit list")
    oversight.goto("/audit/?date_from=2025-02-01&date_to=2025-01-01")
    _assert_accessible(oversight, "audit list with errors")

    # Estimates: the list with its chart, a stratified run, and a run with no figure.
    for reference in _estimation_runs():
        oversight.goto(f"/estimates/{reference}/")
        _assert_accessible(oversight, f"estimate {reference}")
    oversight.goto("/estimates/")
    _assert_accessible(oversight, "estimates with chart")

    # The check itself is not vacuous: an image without a text alternative is caught.
    oversight.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert any(violation.startswith("image-alt") for violation in axe_serious_violations(oversight))
