"""The foundation end to end, in a real browser: log in with a second factor, switch to
Lithuanian, record a person, find it by search, and see the read in the audit trail as the
rapporteur."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.browser.conftest import account_for, log_in
from tiltas.accounts.testing import persona

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("lt_profile")]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_caseworker_records_and_finds_a_person_and_the_rapporteur_sees_the_read(new_page):
    officer = persona("LT-LCPB", "caseworker", username="e2e-officer")
    rapporteur = persona("LT-NR", "rapporteur", username="e2e-rapporteur")
    assert not officer.is_demo and not rapporteur.is_demo
    officer_account, rapporteur_account = account_for(officer), account_for(rapporteur)

    page, watch = new_page()
    log_in(page, officer_account)
    assert page.locator("h1").inner_text() == "Lithuanian Criminal Police Bureau"

    # The language switcher turns every page Lithuanian.
    page.select_option("#language-select", "lt")
    page.locator("form.language-switcher button[type=submit]").click()
    page.wait_for_selector("html[lang=lt]")
    assert page.locator("h1").inner_text() == "Lietuvos kriminalinės policijos biuras"
    assert page.get_by_role("heading", name="Ką galite daryti").is_visible()

    # Record a person whose name carries Lithuanian diacritics.
    menu = page.get_by_role("navigation", name="Pagrindinis meniu")
    menu.get_by_role("link", name="Užregistruoti asmenį").click()
    page.wait_for_url(re.compile(r"/people/new/$"))
    page.get_by_label("Vardas", exact=True).fill("Rūta")
    page.get_by_label("Pavardė", exact=True).fill("Šiaulienė")
    page.get_by_label("Gimimo data").fill("1990-03-04")
    page.get_by_label("Pilietybės").fill("ltu")
    page.get_by_label("Kalbos").fill("lt, ru")
    page.get_by_role("button", name="Užregistruoti asmenį").click()
    page.wait_for_url(re.compile(rf"/people/{UUID}/$"))
    person_id = re.search(UUID, page.url).group(0)  # type: ignore[union-attr]
    assert page.get_by_role("status").inner_text() == "Asmuo užregistruotas."
    assert page.locator("h1").inner_text() == "Rūta Šiaulienė"

    # Find it again by its ASCII spelling (search by POST; htmx swaps the results in).
    menu.get_by_role("link", name="Asmenys").click()
    page.wait_for_url(re.compile(r"/people/$"))
    search = page.locator("#person-search")
    search.get_by_label("Vardas ir pavardė").fill("Siauliene")
    search.get_by_role("button", name="Paieška").click()
    result = page.locator("#person-search .search-results").get_by_role(
        "link", name="Rūta Šiaulienė"
    )
    result.wait_for()
    assert page.url.endswith("/people/")  # htmx swapped the results in; no page was loaded
    result.click()
    page.wait_for_url(re.compile(rf"/people/{person_id}/$"))
    assert page.locator("h1").inner_text() == "Rūta Šiaulienė"
    assert page.get_by_text("1990-03-04").is_visible()

    page.get_by_role("button", name="Atsijungti").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # No name, in any spelling, ever travelled in a URL (API-05).
    for url in watch.urls:
        decoded = unquote(url).lower()
        assert "iaul" not in decoded and "rūta" not in decoded and "ruta" not in decoded, url

    # The rapporteur, in another browser, sees the caseworker's read of that record.
    oversight, _ = new_page()
    log_in(oversight, rapporteur_account)
    oversight.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Audit trail"
    ).click()
    oversight.wait_for_url(re.compile(r"/audit/$"))
    oversight.get_by_label("Record id").fill(person_id)
    oversight.get_by_role("button", name="Filter").click()
    oversight.wait_for_url(re.compile(r"/audit/\?"))
    rows = oversight.locator("table tbody tr")
    entries = [
        {
            cell: rows.nth(index).locator(f"td[data-cell={cell}]").inner_text()
            for cell in ("user", "action", "record", "purpose", "channel")
        }
        for index in range(rows.count())
    ]
    officer_entries = [entry for entry in entries if entry["user"].startswith("e2e-officer")]
    reads = [entry for entry in officer_entries if entry["action"] == "Read"]
    # Newest first: the detail opened from the search result, the search result, the list, and
    # the detail shown right after recording.
    assert [entry["purpose"] for entry in reads] == ["view", "search", "list", "view"], entries
    assert all(person_id in entry["record"] for entry in officer_entries)
    assert all("LT-LCPB" in entry["user"] and entry["channel"] == "web" for entry in reads)
    assert officer_entries[-1]["action"] == "Creation"
    assert "Šiaulienė" not in oversight.content()
