"""The estimation pages: start a run, read the figure with its explanation and warnings, the
estimate over periods; who may see and start them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from tiltas.accounts.testing import persona, verified_client
from tiltas.estimation.lists import ListDefinition
from tiltas.estimation.models import EstimationRun
from tiltas.estimation.services import EstimationRequest, estimation_run_start
from tiltas.estimation.tests.factories import linked_population

pytestmark = pytest.mark.usefixtures("lt_profile")

FORM = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "lists": ["police", "ngo", "labour"],
    "stratify_by": "",
    "method": "stepwise",
    "threshold": "0.02",
    "bootstrap": "0",
    "seed": "1234",
}


@pytest.fixture
def analyst_client(db) -> Client:
    return verified_client(persona("LT-VDA", "analyst"))


def test_an_analyst_starts_an_estimate_and_reads_it_explained(analyst_client):
    linked_population(size=500)
    response = analyst_client.post("/estimates/new/", FORM)
    assert response.status_code == 302
    run = EstimationRun.objects.get()
    assert response["Location"] == f"/estimates/{run.reference}/"
    page = analyst_client.get(response["Location"]).content.decode()
    whole = run.strata.get()
    assert f"{whole.estimate:.0f}" in page
    assert "95 % interval" in page
    assert "How to read this figure" in page
    assert run.reference in page
    # The lists of the country profile, by name, with the input table.
    assert "Police and prosecution" in page and "Labour inspectorate" in page


def test_a_period_the_data_cannot_support_shows_no_number_but_the_reason(analyst_client):
    linked_population(size=200, captures=(("LT-PD", 0.5),))
    response = analyst_client.post("/estimates/new/", FORM, follow=True)
    page = response.content.decode()
    assert "No figure: the data cannot support an estimate." in page
    assert "Fewer than two lists recorded anyone in this period" in page
    assert "Estimated total" not in page


def test_form_errors_name_the_field_and_start_nothing(analyst_client):
    linked_population(size=50)
    bad = {**FORM, "period_start": "2025-12-31", "period_end": "2025-01-01", "lists": ["police"]}
    page = analyst_client.post("/estimates/new/", bad).content.decode()
    assert "The period ends before it starts." in page
    assert "Choose at least two lists." in page
    assert not EstimationRun.objects.exists()


def test_without_a_finished_linkage_the_form_says_so(analyst_client):
    page = analyst_client.get("/estimates/new/").content.decode()
    assert "No finished linkage run yet" in page
    analyst_client.post("/estimates/new/", FORM)
    assert not EstimationRun.objects.exists()


def test_the_estimate_over_periods_is_charted_with_a_table_of_the_same_figures(db):
    analyst = persona("LT-VDA", "analyst")
    linkage_run, _ = linked_population(size=900, period_start=date(2024, 1, 1), days=730)
    lists = (
        ListDefinition("police", "Police and prosecution", ("police", "prosecution")),
        ListDefinition("border", "Border", ("border_guard", "migration")),
        ListDefinition("labour", "Labour inspectorate", ("labour_inspectorate",)),
        ListDefinition("ngo", "NGOs", ("ngo_service_provider", "shelter")),
        ListDefinition("child", "Child", ("child_protection", "municipal_social_services")),
        ListDefinition("hotline", "Hotline", ("hotline",)),
    )
    for year in (2024, 2025):
        estimation_run_start(
            user=analyst,
            request=EstimationRequest(
                linkage_run=linkage_run,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                lists=lists,
            ),
            channel="test",
        )
    rapporteur = verified_client(persona("LT-NR", "rapporteur"))
    page = rapporteur.get("/estimates/").content.decode()
    assert page.count("<circle") == 4  # an estimate and a found count per period
    series_table = page[page.index("Estimates per period") : page.index("All runs")]
    rows = re.findall(r"<td class=\"nowrap\">(\d{4})-01-01", series_table)
    assert rows == ["2024", "2025"]
    # The rapporteur reads estimates but may not start one.
    assert "New estimate" not in page
    assert rapporteur.get("/estimates/new/").status_code == 404


def test_caseworkers_do_not_see_estimates(db):
    caseworker = verified_client(persona("LT-PD", "caseworker"))
    assert caseworker.get("/estimates/").status_code == 404


def test_the_api_gives_the_stored_figure_by_its_reference(analyst_client):
    linked_population(size=300)
    analyst_client.post("/estimates/new/", FORM)
    run = EstimationRun.objects.get()
    listed = analyst_client.get("/api/v1/estimates/").json()
    assert [item["reference"] for item in listed] == [run.reference]
    detail = analyst_client.get(f"/api/v1/estimates/{run.reference}/").json()
    whole = run.strata.get()
    assert detail["strata"][0]["estimate"] == whole.estimate
    assert detail["seed"] == 1234 and detail["method"] == "stepwise"
    assert analyst_client.get("/api/v1/estimates/EST-1999-0001/").status_code == 404
    caseworker = verified_client(persona("LT-PD", "caseworker"))
    assert caseworker.get("/api/v1/estimates/").status_code == 404


def test_a_breakdown_by_form_of_exploitation_is_headed_by_the_forms(analyst_client):
    linked_population(size=900)
    response = analyst_client.post(
        "/estimates/new/", {**FORM, "stratify_by": "exploitation"}, follow=True
    )
    run = EstimationRun.objects.get()
    assert [s.stratum for s in run.strata.all()] == ["all", "labour", "sexual", "unknown"]
    page = response.content.decode()
    for heading in ("Everyone", "Forced labour or services", "Sexual exploitation", "Not known"):
        assert f">{heading}</h2>" in page
