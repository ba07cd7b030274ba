"""Privacy-preserving linkage in runs: records of organisations whose type does not share
identities (the NGO here) take part only through their keyed encodings, made with the
organisations' key from a file outside the database; the engine never receives their plain
records, yet the NGO's Latin spelling still joins the border guard's Cyrillic one."""

import json
import os
import stat
import threading
from datetime import date

import pytest
from django.urls import reverse

from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import system_actor
from tiltas.linkage.engine.pprl import records_encode
from tiltas.linkage.engine.standardise import records_standardise
from tiltas.linkage.errors import LinkageRunRefusedError
from tiltas.linkage.models import LinkageRun, LinkedRecord, RunKind, RunStatus
from tiltas.linkage.pprl_keys import PprlKeyUnavailableError, pprl_key
from tiltas.linkage.run_input import organisations_encoded, raw_record, run_input_read
from tiltas.linkage.services import (
    RUN_OBJECT_TYPE,
    linkage_run_execute,
    linkage_run_start,
)
from tiltas.linkage.tests.population import person_add, population_create
from tiltas.people.models import Person
from tiltas.people.services import OBJECT_TYPE as PERSON
from tiltas.reference.models import OrganisationType

NGO = "LT-NGO-CARITAS"


@pytest.fixture
def analyst(lt_profile):
    return persona("LT-VDA", "analyst")


@pytest.fixture
def population(lt_profile):
    return population_create()


def ids_of(run):
    return dict(LinkedRecord.objects.filter(run=run).values_list("person_id", "distinct_person_id"))


def run_reads(run):
    return AuditEntry.objects.filter(
        action="read", object_type=RUN_OBJECT_TYPE, object_id=str(run.pk)
    )


def test_an_ngo_record_in_latin_letters_joins_the_border_guards_in_cyrillic(analyst, population):
    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert run.status == RunStatus.DONE, run.error
    ids = ids_of(run)
    assert len(ids) == run.record_count == Person.objects.count()
    # Олена Коваленко (border guard), Olena Kovalenko (NGO, encodings only) and the police's
    # Olena Kovalenko with day and month swapped: one person.
    olena = (population.olena_border, population.olena_ngo, population.olena_police)
    assert len({ids[person.pk] for person in olena}) == 1
    assert len({ids[person.pk] for person in population.singles}) == len(population.singles)


def test_the_run_names_the_encoded_organisations_and_never_the_key(analyst, population):
    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert run.settings["pprl"] == {"organisations": [NGO]}
    key = pprl_key()
    assert run.job is not None
    stored = [run.settings, run.model, run.quality, run.job.result]
    stored += list(AuditEntry.objects.values_list("detail", flat=True))
    for value in stored:
        text = json.dumps(value)
        assert key.decode() not in text and key.hex() not in text
    # Each read of identities is audited before it happens: the plain read and, separately,
    # the read of the NGO's records for their encoding.
    reads = {entry.purpose: entry.detail for entry in run_reads(run)}
    not_shared = Person.objects.filter(owner__code=NGO).count()
    assert reads["linkage encoding"] == {
        "persons": not_shared,
        "fields": "identity",
        "organisations": [NGO],
    }
    assert reads["linkage"]["persons"] == Person.objects.count() - not_shared


def test_the_linkage_input_holds_no_plain_record_of_the_ngo(population):
    """The seam the run hands to the engine: the plain records and the encodings."""
    encoded_organisations = organisations_encoded()
    assert encoded_organisations == [NGO]

    records = run_input_read(encoded_organisations=encoded_organisations, key=pprl_key())

    ngo_ids = {
        str(pk) for pk in Person.objects.filter(owner__code=NGO).values_list("pk", flat=True)
    }
    every_id = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    plain_ids = {record.record_id for record in records.plain}
    assert plain_ids == every_id - ngo_ids
    assert {record.source for record in records.plain}.isdisjoint({NGO})
    assert {record.record_id for record in records.encoded} == every_id
    assert records.encoded_organisations == (NGO,)
    assert records.sources[str(population.olena_ngo.pk)] == NGO
    assert records.sexes[str(population.olena_ngo.pk)] == "F"
    ngo_encoding = next(
        record for record in records.encoded if record.record_id == str(population.olena_ngo.pk)
    )
    assert (
        "olena" not in repr(ngo_encoding).lower() and "kovalenk" not in repr(ngo_encoding).lower()
    )
    # The encodings carry the transliteration-aware keys: the NGO's Olena Kovalenko and the
    # border guard's Олена Коваленко have equal keyed name tokens.
    border_encoding = next(
        record for record in records.encoded if record.record_id == str(population.olena_border.pk)
    )
    for token in ("given_key", "family_stem", "dob"):
        assert ngo_encoding.tokens[token] == border_encoding.tokens[token]


def test_the_ngos_records_are_encoded_as_the_ngo_alone_would_encode_them(population):
    key = pprl_key()
    records = run_input_read(encoded_organisations=[NGO], key=key)

    ngo_persons = Person.objects.filter(owner__code=NGO).select_related("owner").order_by("pk")
    alone = records_encode(records_standardise([raw_record(p) for p in ngo_persons]), key=key)
    assert records.encoded[-len(alone) :] == alone


def test_without_organisations_that_withhold_identities_nothing_is_encoded(population):
    OrganisationType.objects.update(shares_identities=True)

    records = run_input_read(encoded_organisations=organisations_encoded(), key=None)

    assert records.encoded == [] and records.encoded_organisations == ()
    assert len(records.plain) == Person.objects.count()


@pytest.mark.nodb
def test_the_key_file_is_created_once_owner_readable_and_reused(settings, tmp_path):
    settings.PPRL_KEY_FILE = str(tmp_path / "keys" / "pprl.key")
    found: list[bytes] = []
    # Several processes' first runs at once: one file, one key for all.
    threads = [threading.Thread(target=lambda: found.append(pprl_key())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    path = tmp_path / "keys" / "pprl.key"
    assert len(set(found)) == 1 and len(found[0]) >= 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["pprl.key"]
    written = path.read_bytes()
    assert pprl_key() == found[0] and path.read_bytes() == written


@pytest.mark.nodb
def test_a_key_made_by_openssl_is_taken_as_it_is(settings, tmp_path):
    path = tmp_path / "pprl.key"
    path.write_text("ab" * 32 + "\n", encoding="ascii")
    settings.PPRL_KEY_FILE = str(path)
    assert pprl_key() == b"ab" * 32


@pytest.mark.nodb
def test_production_refuses_a_missing_key_and_generates_none(settings, tmp_path):
    settings.PRODUCTION = True
    settings.PPRL_KEY_FILE = str(tmp_path / "pprl.key")

    with pytest.raises(PprlKeyUnavailableError, match="TILTAS_PPRL_KEY_FILE"):
        pprl_key()
    assert not (tmp_path / "pprl.key").exists()


def test_a_run_without_a_usable_key_fails_before_reading_any_identity(
    analyst, population, settings, tmp_path
):
    settings.PPRL_KEY_FILE = str(tmp_path / "pprl.key")
    (tmp_path / "pprl.key").write_text("too short", encoding="ascii")

    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert run.status == RunStatus.FAILED
    assert "encoding key cannot be used" in run.error and "too short" not in run.error
    assert not run.records.exists() and not run_reads(run).exists()


def test_an_incremental_run_links_a_newcomer_of_the_ngo_by_its_encodings_alone(analyst, population):
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    # The NGO records Ivan Bondar, whom the labour inspectorate and the border guard hold.
    newcomer = person_add(
        NGO,
        given_name="Ivan",
        family_name="Bondar",
        date_of_birth=date(1979, 2, 2),
        sex="M",
        citizenships=("UKR",),
    )
    stranger = person_add(
        NGO, given_name="Halyna", family_name="Moroz", date_of_birth=date(1961, 9, 30), sex="F"
    )
    run = linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")

    assert run.status == RunStatus.DONE, run.error
    assert run.kind == RunKind.INCREMENTAL and run.previous == first
    assert run.settings["pprl"] == {"organisations": [NGO]}
    assert run.model == first.model  # scored with the saved model, not retrained
    ids, before = ids_of(run), ids_of(first)
    assert len(ids) == run.record_count == first.record_count + 2
    assert ids[newcomer.pk] == ids[population.ivan_labour.pk] == before[population.ivan_labour.pk]
    assert ids[stranger.pk] not in before.values()
    assert all(ids[person] == dp for person, dp in before.items())
    # What a run hands the engine: the NGO's records, the newcomers among them, as encodings
    # only; the audited reads below count the same split.
    ngo_persons = Person.objects.filter(owner__code=NGO).values_list("pk", flat=True)
    ngo_ids = {str(pk) for pk in ngo_persons}
    handed = run_input_read(
        encoded_organisations=run.settings["pprl"]["organisations"], key=pprl_key()
    )
    assert {record.record_id for record in handed.plain}.isdisjoint(ngo_ids)
    assert ngo_ids <= {item.record_id for item in handed.encoded}
    # The NGO's earlier records were linked by the first run, its newcomers only by this one.
    assert ngo_ids - {str(pk) for pk in before} == {str(newcomer.pk), str(stranger.pk)}
    reads = {entry.purpose: entry.detail for entry in run_reads(run)}
    assert reads["linkage encoding"]["persons"] == len(ngo_ids)
    assert reads["linkage"]["persons"] == Person.objects.count() - len(ngo_ids)


def test_a_police_newcomer_joins_the_cluster_of_a_person_the_ngo_alone_recorded(
    analyst, population
):
    ngo_only = person_add(
        NGO,
        given_name="Tetiana",
        family_name="Hnatiuk",
        date_of_birth=date(1988, 7, 15),
        sex="F",
        citizenships=("UKR",),
    )
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    # The police write her name in another transliteration.
    police = person_add(
        "LT-LCPB",
        given_name="Tetyana",
        family_name="Hnatyuk",
        date_of_birth=date(1988, 7, 15),
        sex="F",
        citizenships=("UKR",),
    )

    run = linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")

    assert run.status == RunStatus.DONE, run.error
    before, ids = ids_of(first), ids_of(run)
    assert ids[police.pk] == ids[ngo_only.pk] == before[ngo_only.pk]
    assert run.person_count == first.person_count


def test_an_incremental_run_is_refused_when_the_encoded_organisations_changed(analyst, population):
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    # Another NGO records its first person: its records would be linked on encodings that the
    # current clusters were not linked with.
    person_add("LT-NGO-MPFSC", given_name="Olena", family_name="Kovalenko", sex="F")

    with pytest.raises(LinkageRunRefusedError, match="start a full run") as refused:
        linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")

    assert f"then: {NGO}; now: {NGO}, LT-NGO-MPFSC" in str(refused.value)
    assert list(LinkageRun.objects.all()) == [first]
    # A full run links everyone, both NGOs' records by encodings only.
    second = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    assert second.status == RunStatus.DONE
    assert second.settings["pprl"]["organisations"] == [NGO, "LT-NGO-MPFSC"]
    assert second.record_count == first.record_count + 1


def test_an_incremental_run_after_a_run_on_encodings_without_encodings_now_is_refused(
    analyst, population
):
    linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    # The NGO's records are gone: nothing needs encoding, but the saved model compares encodings.
    Person.objects.filter(owner__code=NGO).delete()

    with pytest.raises(LinkageRunRefusedError, match="start a full run") as refused:
        linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")

    assert f"then: {NGO}; now: none" in str(refused.value)


def test_an_incremental_run_meeting_ngo_records_that_came_after_it_was_queued_fails(
    analyst, population
):
    OrganisationType.objects.update(shares_identities=True)
    base = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    # Queued while everyone shared identities; by the time it runs, the NGO no longer does.
    queued = LinkageRun.objects.create(kind=RunKind.INCREMENTAL, previous=base)
    OrganisationType.objects.filter(code="ngo_service_provider").update(shares_identities=False)

    outcome = linkage_run_execute(
        run=queued, actor=system_actor(organisation_code="LT-VDA", channel="cli")
    )

    queued.refresh_from_db()
    assert not outcome.succeeded and queued.status == RunStatus.FAILED
    assert "start a full run" in queued.error
    assert not queued.records.exists() and not run_reads(queued).exists()


def test_a_pair_with_an_encoded_record_shows_its_identity_to_its_owner_alone(analyst, population):
    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    ngo, police = population.olena_ngo, population.olena_police
    pair = run.review_pairs.get(person_a__in=(ngo, police), person_b__in=(ngo, police))
    url = reverse("linkage:pair", args=[pair.pk])
    # Same names in both records: the dates tell whose identity a page shows.
    ngo_birth, police_birth = "1990-03-04", "1990-04-03"

    masked = verified_client(analyst).get(url).content.decode()
    police_page = verified_client(persona("LT-LCPB", "supervisor")).get(url).content.decode()
    ngo_page = verified_client(persona(NGO, "supervisor")).get(url).content.decode()

    for value in ("Olena", "Kovalenko", "1990"):
        assert value not in masked
    assert police_birth in police_page and ngo_birth not in police_page
    assert ngo_birth in ngo_page and police_birth not in ngo_page
    ngo_reads = AuditEntry.objects.filter(action="read", object_type=PERSON, object_id=str(ngo.pk))
    assert list(ngo_reads.values_list("purpose", flat=True)) == ["linkage review"]


def test_a_run_reads_the_key_from_the_configured_file(analyst, population, settings, tmp_path):
    settings.PPRL_KEY_FILE = str(tmp_path / "organisations.key")
    (tmp_path / "organisations.key").write_text("cd" * 32, encoding="ascii")

    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert run.status == RunStatus.DONE
    assert ids_of(run)[population.olena_ngo.pk] == ids_of(run)[population.olena_border.pk]
    assert (tmp_path / "organisations.key").read_text(encoding="ascii") == "cd" * 32


def test_a_run_compares_document_numbers_and_the_ngos_only_as_keyed_hashes(population):
    ngo = person_add(
        NGO, given_name="Oksana", family_name="Melnyk", document_numbers=("FX 482913",)
    )
    police = person_add(
        "LT-LCPB", given_name="Oksana", family_name="Hrytsenko", document_numbers=("fx482913",)
    )

    records = run_input_read(encoded_organisations=[NGO], key=pprl_key())

    [plain] = [record for record in records.plain if record.record_id == str(police.pk)]
    assert plain.document_numbers == ("FX482913",)
    encoding = {item.record_id: item for item in records.encoded}
    ngo_hashes = encoding[str(ngo.pk)].token_sets["document_numbers"]
    assert ngo_hashes == encoding[str(police.pk)].token_sets["document_numbers"]
    assert "482913" not in repr(records.encoded)
    assert str(ngo.pk) not in {record.record_id for record in records.plain}
