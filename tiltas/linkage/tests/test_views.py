"""The linkage pages per persona: who may run, read and review; what a reviewer sees of a pair
(only their own organisation's identities, read through the audited path); and the linked
records on a person's page."""

import uuid
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.linkage.models import (
    LinkageRun,
    LinkDecision,
    LinkedRecord,
    ReviewPair,
    ReviewStatus,
    RunStatus,
)
from tiltas.linkage.tests.population import person_add, population_create
from tiltas.people.services import OBJECT_TYPE as PERSON

pytestmark = pytest.mark.usefixtures("lt_profile")

EVIDENCE = [
    {"field": "given_name", "agreement": "agree", "weight": 3.3},
    {"field": "family_name", "agreement": "agree", "weight": 3.3},
    {"field": "date_of_birth", "agreement": "similar", "weight": 2.7},
    {"field": "sex", "agreement": "agree", "weight": 0.9},
    {"field": "citizenship", "agreement": "disagree", "weight": -4.5},
]


@pytest.fixture
def world():
    """A finished run (written by hand) with two pairs: NGO-police and police-labour."""
    ngo = person_add(
        "LT-NGO-CARITAS",
        given_name="Olena",
        family_name="Kovalenko",
        date_of_birth=date(1990, 3, 4),
        sex="F",
    )
    police = person_add(
        "LT-LCPB",
        given_name="Олена",
        family_name="Коваленко",
        date_of_birth=date(1990, 4, 3),
        sex="F",
    )
    labour = person_add("LT-SLI", given_name="Petras", family_name="Jonaitis", sex="M")
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished_at=timezone.now())

    def pair(left, right, probability):
        first, second = sorted((left, right), key=lambda person: str(person.pk))
        return ReviewPair.objects.create(
            run=run, person_a=first, person_b=second, probability=probability, evidence=EVIDENCE
        )

    return {
        "ngo": ngo,
        "police": police,
        "labour": labour,
        "run": run,
        "ngo_police": pair(ngo, police, 0.81),
        "police_labour": pair(police, labour, 0.6),
    }


def reads_of(person):
    return AuditEntry.objects.filter(action="read", object_type=PERSON, object_id=str(person.pk))


def test_an_analyst_sees_runs_and_starts_one_from_the_page():
    population_create()
    client = verified_client(persona("LT-VDA", "analyst"))
    page = client.get(reverse("linkage:runs"))
    assert page.status_code == 200
    assert b"No linkage run has finished yet." in page.content

    response = client.post(reverse("linkage:run_start"), {"kind": "full"})

    run = LinkageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("linkage:run", args=[run.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Quality of the linkage" in detail and "Match weights of the scored pairs" in detail
    assert str(run.person_count) in client.get(reverse("linkage:runs")).content.decode()
    progress = client.get(reverse("linkage:run_progress", args=[run.pk]))
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"


def test_a_refused_start_is_explained_on_the_runs_page():
    LinkageRun.objects.create(status=RunStatus.RUNNING)
    client = verified_client(persona("LT-VDA", "analyst"))
    response = client.post(reverse("linkage:run_start"), {"kind": "full"}, follow=True)
    assert b"Another linkage run is waiting or running" in response.content
    assert LinkageRun.objects.count() == 1


def test_the_analysts_queue_is_masked(world):
    analyst = persona("LT-VDA", "analyst")
    client = verified_client(analyst)

    queue = client.get(reverse("linkage:review")).content.decode()
    page = client.get(reverse("linkage:pair", args=[world["ngo_police"].pk])).content.decode()

    assert queue.count(reverse("linkage:pair", args=[world["ngo_police"].pk])) == 1
    assert reverse("linkage:pair", args=[world["police_labour"].pk]) in queue
    for text in (queue, page):
        for value in ("Olena", "Kovalenko", "Олена", "1990", "Petras"):
            assert value not in text
    # The organisation types of both sides, field agreement and weights are shown.
    assert "NGO service provider" in page and "Police" in page
    assert "Citizenship" in page and "strongly towards different persons" in page
    assert not reads_of(world["ngo"]).exists() and not reads_of(world["police"]).exists()


def test_the_queue_says_which_pairs_the_run_joined_and_which_it_kept_apart(world):
    run = world["run"]
    for key, distinct in (("ngo", "DP-000001"), ("police", "DP-000001"), ("labour", "DP-000002")):
        LinkedRecord.objects.create(run=run, person=world[key], distinct_person_id=distinct)
    client = verified_client(persona("LT-VDA", "analyst"))

    queue = client.get(reverse("linkage:review")).content.decode()
    joined = client.get(reverse("linkage:pair", args=[world["ngo_police"].pk])).content.decode()
    apart = client.get(reverse("linkage:pair", args=[world["police_labour"].pk])).content.decode()

    # Most probable first: the NGO-police pair (joined), then police-labour (kept apart).
    assert queue.index('<span class="muted">linked</span>') < queue.index(
        '<span class="muted">kept apart</span>'
    )
    assert "<dd>linked</dd>" in joined and "<dd>kept apart</dd>" not in joined
    assert "<dd>kept apart</dd>" in apart and "<dd>linked</dd>" not in apart


def test_the_pair_page_gives_the_probability_the_run_used_when_rivals_lowered_it(world):
    lowered, kept = world["police_labour"], world["ngo_police"]
    ReviewPair.objects.filter(pk=lowered.pk).update(probability_with_rivals=0.3)
    ReviewPair.objects.filter(pk=kept.pk).update(probability_with_rivals=0.81)
    client = verified_client(persona("LT-VDA", "analyst"))

    page = client.get(reverse("linkage:pair", args=[lowered.pk])).content.decode()
    unchanged = client.get(reverse("linkage:pair", args=[kept.pk])).content.decode()

    assert "<dt>Counting the other candidates</dt><dd>30&nbsp;%" in page
    assert "<dd>60&nbsp;%</dd>" in page
    assert "Counting the other candidates" not in unchanged


def test_an_ngo_supervisor_sees_only_the_own_records_identity(world):
    client = verified_client(persona("LT-NGO-CARITAS", "supervisor"))

    queue = client.get(reverse("linkage:review")).content.decode()
    page = client.get(reverse("linkage:pair", args=[world["ngo_police"].pk])).content.decode()

    assert reverse("linkage:pair", args=[world["ngo_police"].pk]) in queue
    assert reverse("linkage:pair", args=[world["police_labour"].pk]) not in queue
    assert "Olena Kovalenko" in page and "1990-03-04" in page
    # Never the police record's identity.
    assert "Олена" not in page and "1990-04-03" not in page
    assert reads_of(world["ngo"]).filter(purpose="linkage review").count() == 1
    assert not reads_of(world["police"]).exists()


def test_a_police_supervisor_learns_nothing_of_an_ngo_record(world):
    client = verified_client(persona("LT-LCPB", "supervisor"))
    page = client.get(reverse("linkage:pair", args=[world["ngo_police"].pk])).content.decode()

    assert "Олена Коваленко" in page and "1990-04-03" in page
    assert "Olena Kovalenko" not in page and "1990-03-04" not in page
    # The NGO type does not share identities: not even its type is named.
    assert "NGO service provider" not in page
    assert "An organisation that does not share identities" in page
    assert not reads_of(world["ngo"]).exists()


def test_outsiders_get_404_as_for_a_missing_pair(world):
    pair_url = reverse("linkage:pair", args=[world["ngo_police"].pk])
    missing_url = reverse("linkage:pair", args=[uuid.uuid4()])
    for user in (
        persona("LT-NGO-MPFSC", "supervisor"),  # another NGO
        persona("LT-LCPB", "caseworker"),
        persona("LT-NR", "rapporteur"),
        persona("LT-MOI", "supervisor"),
    ):
        client = verified_client(user)
        assert client.get(pair_url).status_code == 404
        assert client.get(missing_url).status_code == 404
        assert client.post(pair_url, {"decision": "same"}).status_code == 404
    assert not LinkDecision.objects.exists()
    run_url = reverse("linkage:run", args=[world["run"].pk])
    caseworker = persona("LT-LCPB", "caseworker", username="another-caseworker")
    assert verified_client(caseworker).get(run_url).status_code == 404
    assert verified_client(persona("LT-SLI", "analyst")).get(run_url).status_code == 200


def test_a_decision_from_the_pair_page_is_recorded_and_leaves_the_queue(world):
    client = verified_client(persona("LT-NGO-CARITAS", "supervisor"))
    pair = world["ngo_police"]

    empty = client.post(reverse("linkage:pair", args=[pair.pk]), {})
    assert empty.status_code == 200 and b"Choose whether" in empty.content
    response = client.post(
        reverse("linkage:pair", args=[pair.pk]), {"decision": "same", "note": "same scar"}
    )

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.DECIDED
    assert LinkDecision.objects.get().decision == "same"
    queue = client.get(reverse("linkage:review")).content.decode()
    assert reverse("linkage:pair", args=[pair.pk]) not in queue
    page = client.get(reverse("linkage:pair", args=[pair.pk])).content.decode()
    assert "same scar" in page and "Same person" in page


def _linked(run, distinct_person, *persons):
    for person in persons:
        LinkedRecord.objects.create(run=run, person=person, distinct_person_id=distinct_person)


def test_the_person_page_lists_linked_records_as_far_as_the_viewer_may_know(world):
    second_police = person_add("LT-LCPB", given_name="Olena", family_name="K.")
    border = person_add("LT-SBGS", given_name="Olena", family_name="Kovalenko")
    _linked(world["run"], "DP-000007", world["ngo"], world["police"], second_police, border)
    police_client = verified_client(persona("LT-LCPB", "caseworker"))

    page = police_client.get(reverse("people:detail", args=[world["police"].pk])).content.decode()

    assert "Other records of this person" in page and "DP-000007" in page
    assert reverse("people:detail", args=[second_police.pk]) in page
    assert "1 record of: Border guard" in page
    assert "Recorded by an organisation that does not share identities" in page
    assert "NGO service provider" not in page
    assert reverse("people:detail", args=[world["ngo"].pk]) not in page

    ngo_page = (
        verified_client(persona("LT-NGO-CARITAS", "caseworker"))
        .get(reverse("people:detail", args=[world["ngo"].pk]))
        .content.decode()
    )
    assert "2 records of: Police" in ngo_page and "1 record of: Border guard" in ngo_page
    assert "does not share identities" not in ngo_page

    unlinked = person_add("LT-LCPB", given_name="Jonas", family_name="Vienas")
    alone = police_client.get(reverse("people:detail", args=[unlinked.pk]))
    assert alone.status_code == 200
    assert b"Other records of this person" not in alone.content  # not in the run at all


def test_the_rapporteur_sees_small_counts_per_organisation_type_withheld(world):
    # Three records, three distinct persons, one per organisation type: every cell is 1.
    for number, key in enumerate(("ngo", "police", "labour"), start=1):
        LinkedRecord.objects.create(
            run=world["run"], person=world[key], distinct_person_id=f"DP-{number:06d}"
        )
    rapporteur = verified_client(persona("LT-NR", "rapporteur"))
    page = rapporteur.get(reverse("linkage:runs")).content.decode()
    table = page[page.index("Distinct persons recorded by each type") :]
    table = table[: table.index("</table>")]
    assert table.count("&lt;5</abbr>") == 3
    assert "<td>1</td>" not in table
    analyst = verified_client(persona("LT-VDA", "analyst"))
    page = analyst.get(reverse("linkage:runs")).content.decode()
    table = page[page.index("Distinct persons recorded by each type") :]
    assert table[: table.index("</table>")].count("<td>1</td>") == 3


def test_the_document_comparison_shows_without_either_number(world):
    """Whether the records share an identity document number is evidence like the other
    fields; the number itself is no more shown than the other record's identity."""
    ngo = person_add("LT-NGO-CARITAS", given_name="Oksana", document_numbers=("FX 482913",))
    police = person_add("LT-LCPB", given_name="Oksana", document_numbers=("FX482913",))
    first, second = sorted((ngo, police), key=lambda person: str(person.pk))
    pair = ReviewPair.objects.create(
        run=world["run"],
        person_a=first,
        person_b=second,
        probability=0.8,
        evidence=[*EVIDENCE, {"field": "document_number", "agreement": "agree", "weight": 9.9}],
    )
    for reviewer in (persona("LT-NGO-CARITAS", "supervisor"), persona("LT-VDA", "analyst")):
        page = verified_client(reviewer).get(reverse("linkage:pair", args=[pair.pk]))
        text = page.content.decode()
        assert "Identity document number</th><td>Agree</td>" in text
        assert "482913" not in text
