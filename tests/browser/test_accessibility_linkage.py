"""The linkage pages at tablet width pass axe-core (vendored) without serious or critical
violations, with the Content-Security-Policy on: runs, a finished run's quality summary, the
review queue, a pair as an analyst and as a supervisor sees it, and the linked records on a
person's page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import TABLET, account_for, axe_serious_violations, log_in
from tiltas.accounts.testing import persona
from tiltas.audit.services import system_actor
from tiltas.linkage.models import LinkedRecord, RunKind
from tiltas.linkage.services import linkage_run_now
from tiltas.linkage.tests.population import population_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("lt_profile")]


def _assert_accessible(page, name):
    violations = axe_serious_violations(page)
    assert violations == [], f"{name} ({page.url}): {violations}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= TABLET["width"], f"{name} is {width}px wide"


def _in_language(page, language):
    if page.locator("html").get_attribute("lang") != language:
        page.select_option("#language-select", language)
        page.locator("form.language-switcher button[type=submit]").click()
        page.wait_for_selector(f"html[lang={language}]")


@pytest.mark.parametrize("language", ["en", "lt"])
def test_linkage_pages_pass_axe_at_tablet_width(new_page, language):
    population = population_create()
    analyst = persona("LT-VDA", "analyst", username="a11y-linkage-analyst")
    supervisor = persona("LT-NGO-CARITAS", "supervisor", username="a11y-linkage-supervisor")
    run = linkage_run_now(
        kind=RunKind.FULL,
        organisation=analyst.organisation,
        actor=system_actor(organisation_code="LT-VDA", channel="cli"),
    )
    pair = run.review_pairs.first()
    assert pair is not None
    linked = LinkedRecord.objects.get(run=run, person=population.olena_ngo)
    assert LinkedRecord.objects.filter(
        run=run, distinct_person_id=linked.distinct_person_id
    ).exclude(person=population.olena_ngo)

    page, _ = new_page()
    log_in(page, account_for(analyst))
    _in_language(page, language)
    for name, path in (
        ("linkage runs", "/linkage/"),
        ("linkage run", f"/linkage/runs/{run.pk}/"),
        ("review queue", "/linkage/review/"),
        ("pair (analyst)", f"/linkage/review/{pair.pk}/"),
    ):
        page.goto(path)
        _assert_accessible(page, name)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    _assert_accessible(page, "pair with errors")

    own, _ = new_page()
    log_in(own, account_for(supervisor))
    _in_language(own, language)
    own.goto("/linkage/review/")
    _assert_accessible(own, "review queue (supervisor)")
    own_pair = run.review_pairs.filter(person_a__owner__code="LT-NGO-CARITAS").first() or (
        run.review_pairs.filter(person_b__owner__code="LT-NGO-CARITAS").first()
    )
    if own_pair is not None:
        own.goto(f"/linkage/review/{own_pair.pk}/")
        _assert_accessible(own, "pair (supervisor)")
    own.goto(f"/people/{population.olena_ngo.pk}/")
    assert own.locator("#person-links-title").count() == 1
    _assert_accessible(own, "person with linked records")
