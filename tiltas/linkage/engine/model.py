"""Probabilistic linkage of standardised records with Splink (Fellegi-Sunter, trained by
expectation maximisation, term-frequency adjusted), clustered at a match-probability threshold."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
import splink
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from .address_model import (
    ADDRESS_COLUMNS,
    address_blocking_rules,
    address_columns_present,
    address_comparisons,
)
from .backends import arrow_table, database_api, table_register
from .blocking import MAX_BLOCK_RECORDS, blocking_capped, pairs_agreeing
from .blocking import blocking_rule_sql as blocking_rule_sql  # where the tests find it
from .clustering import clusters_constrained
from .comparisons import (
    date_comparison,
    documents_comparison,
    exact_comparison,
    fuzzy_name_levels_weighed,
    name_comparison,
    rare_outcomes_floored,
    source_comparison,
)
from .document_labels import m_from_document_labels
from .evidence import PairEvidence, review_band_evidence
from .stages import stage_logged
from .standardise import StandardRecord
from .term_frequencies import NameFrequencies, frequencies_within, lookups_register
from .traits import clustering_traits

if TYPE_CHECKING:
    from .pprl import EncodedRecord

# The SQL of the blocking rules here, as that of the levels in comparisons.py, uses plain
# identifiers and functions that DuckDB and Spark both have, so that the same model runs on
# either.
BACKENDS = ("duckdb", "spark")


class _MValueNotTrainedFilter(logging.Filter):
    """Drops Splink's "not observed in dataset, unable to train m value": an EM block in which
    no pair falls at some level (every pair blocked on names agrees on sex, say) leaves that
    level's m-probability as it was, which is what the model wants; on the terminal of
    `tiltas link` it only alarmed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "unable to train m value" not in record.getMessage()


logging.getLogger("splink.internals.expectation_maximisation").addFilter(_MValueNotTrainedFilter())
logger = logging.getLogger(__name__)

DETERMINISTIC_RULE = ("given_key", "family_stem", "dob")
# The list column of document numbers, compared only when some record has one.
DOCUMENTS = "document_numbers"
# The names (and surname stems) whose agreement is weighed by their frequency within the
# citizenship.
TERM_FREQUENCY_NAMES = ("given_key", "family_key", "family_stem")
DETERMINISTIC_RECALL = 0.6
# EM on fewer candidate pairs than this learns noise: the level defaults are kept instead.
EM_MIN_PAIRS = 50
EM_BLOCKS: tuple[tuple[str, ...], ...] = (("given_key", "family_stem"), ("dob",))
DEFAULT_BACKEND = "duckdb"

# Candidate pairs are the union of these equalities on standardised keys. Together they keep
# almost every true pair while each alone stays small (measured in bench/linkage.py).
# A rule is a conjunction of equalities (left column, right column); a rule across columns comes
# with its mirror so that the candidate pairs do not depend on which record is on the left.
BlockingRule = tuple[tuple[str, str], ...]


def _same(*columns: str) -> BlockingRule:
    return tuple((column, column) for column in columns)


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    _same("given_key", "family_stem"),
    _same("family_stem", "dob"),
    _same("given_key", "dob"),
    _same("given_phonetic", "family_phonetic"),
    _same("family_stem", "dob_year"),
    _same("given_key", "dob_year", "sex"),
    _same("dob", "sex"),
    _same("family_stem", "dob_month", "dob_day"),
    _same("given_key", "dob_month", "dob_day"),
    _same("given_key", "family_prefix"),
    _same("given_prefix", "family_stem"),
    _same("given_prefix", "family_prefix", "dob_year"),
    (("given_key", "given_key_if_swapped"), ("family_stem", "family_stem_if_swapped")),
    (("given_key_if_swapped", "given_key"), ("family_stem_if_swapped", "family_stem")),
    # One document number in common, whatever the names and dates (standardise.py keeps a
    # record's smallest number and, if it has several, its largest). A number is one person's:
    # its blocks hold a handful of records, unless a placeholder repeats, which the cap drops.
    _same("document_first"),
    _same("document_second"),
    (("document_first", "document_second"),),
    (("document_second", "document_first"),),
)

PARTIAL_SHARE_MIN = 0.001


@dataclass(frozen=True)
class LinkageSettings:
    """The settings of one linkage run; recorded with its results."""

    # Pairs at or above this probability are joined: one person is then more likely than two.
    # The probabilities are calibrated (bench/linkage.py prints the table): of the pairs scored
    # 0.6-0.7, 56 % on persons-20k and 71 % on the demo's 100,000 records are one person, of
    # those scored 0.9-0.95, 91 % and 94 %. Before names were counted within their citizenship
    # (term_frequencies.py) the model was overconfident (on the demo, 43 % of the pairs scored
    # 0.90-0.95 were one person) and this threshold was 0.9.
    cluster_threshold: float = 0.5
    seed: int = 20260101
    u_sampling_pairs: float = 2e6
    backend: str = DEFAULT_BACKEND
    # Pairs scored in [low, high) go to the review queue with their evidence: on both sides of
    # the cluster threshold, the pairs kept apart that may be one person (from one chance in
    # five) as well as the pairs joined that may be two.
    review_band: tuple[float, float] = (0.2, 0.97)
    # A rule's blocks of more records than this are left to the other rules (blocking.py).
    max_block_records: int = MAX_BLOCK_RECORDS
    # A larger file is trained (u sampling and EM) on this many of its records drawn at random:
    # m- and u-probabilities are properties of pairs, which a sample of records estimates as
    # well, while EM's blocks grow with the square of the records (62 million pairs on one
    # given and family name among 1,000,000 demo records).
    training_sample_records: int = 100_000


@dataclass(frozen=True)
class LinkageResult:
    """A distinct-person id for every record, the scored candidate pairs from the pairs floor
    (pairs_floor) up, and what a run record needs to reproduce it: the settings, the Splink
    version and the trained model."""

    cluster_of: dict[str, str]
    pairs: list[tuple[str, str, float]]
    settings: LinkageSettings
    splink_version: str = splink.__version__
    model: dict[str, Any] = field(default_factory=dict)
    evidence: list[PairEvidence] = field(default_factory=list)


def pairs_floor(settings: LinkageSettings) -> float:
    """The lowest probability of a pair worth keeping: the bottom of the review band (or the
    cluster threshold, if lower). Every run keeps the same pairs, whether or not their
    evidence is collected for review: the pairs below the threshold are never joined, but
    clustering counts them as rival candidates of their records (clustering.py), so that a
    run keeping fewer would cluster differently."""
    return min(settings.review_band[0], settings.cluster_threshold)


def _settings(
    *, prior: float, partial_share: float, present: frozenset[str], blocking: Sequence[str]
) -> SettingsCreator:
    comparisons: list[Any] = [
        name_comparison("given_name", "given_key", None, "given_phonetic"),
        name_comparison("family_name", "family_key", "family_stem", "family_phonetic"),
        date_comparison(partial_share),
        exact_comparison("sex", term_frequencies=False),
        exact_comparison("citizenship", term_frequencies=True),
        source_comparison(),
    ]
    comparisons += address_comparisons(present)
    if DOCUMENTS in present:
        comparisons.append(documents_comparison(DOCUMENTS))
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[CustomRule(sql) for sql in blocking],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _columns(
    records: Sequence[StandardRecord], *, leave_out: Iterable[str] = ()
) -> dict[str, list[Any]]:
    # attrgetter, not dataclasses.asdict: asdict deep-copies every record, five times slower
    # on large files (values are only read here); map(attrgetter) runs the loop in C.
    skipped = {"names_swapped", *leave_out}
    names = [field.name for field in fields(StandardRecord) if field.name not in skipped]
    return {name: list(map(attrgetter(name), records)) for name in names}


def name_frequencies(columns: Mapping[str, Sequence[Any] | pa.Array]) -> NameFrequencies:
    """The plain names' columns for their term frequencies within their citizenship, and
    their lookup tables (term_frequencies.py)."""
    return frequencies_within(columns, names=TERM_FREQUENCY_NAMES, condition="citizenship")


def match_prior(table: pa.Table, rule: Sequence[str] = DETERMINISTIC_RULE) -> float:
    """The probability that two random records match: pairs agreeing on names and full date
    (the columns of `rule`: plain, or their keyed hashes), taken as DETERMINISTIC_RECALL of all
    matches, over all pairs; never zero, so that a file without such pairs still links on
    weaker evidence."""
    total = table.num_rows * (table.num_rows - 1) // 2
    agreeing = pairs_agreeing(table, rule) / DETERMINISTIC_RECALL
    return float(min(max(agreeing, 1.0) / max(total, 1), 0.5))


def partial_share(records: Sequence[StandardRecord]) -> float:
    """The share of matches with a date known only to its year on one side at least: that of
    pairs of dated records, a record's dates taken as independent of its person's other; never
    closer to 0 or 1 than PARTIAL_SHARE_MIN, so that every level keeps a probability."""
    dated = [record for record in records if record.dob_year is not None]
    return partial_share_of(dated=len(dated), partial=sum(record.dob is None for record in dated))


def partial_share_of(*, dated: int, partial: int) -> float:
    """partial_share from counts: `dated` records with a year, `partial` of them without a
    full date."""
    share = partial / max(dated, 1)
    return min(max(1 - (1 - share) ** 2, PARTIAL_SHARE_MIN), 1 - PARTIAL_SHARE_MIN)


@dataclass(frozen=True)
class LinkageInput:
    """What Splink links: the record ids, the table's columns, the Splink settings and the
    blocks (column tuples) to train by expectation maximisation on."""

    record_ids: list[str]
    columns: Mapping[str, Sequence[Any] | pa.Array]
    splink_settings: SettingsCreator
    em_blocks: list[tuple[str, ...]]
    # The term frequencies of names within their citizenship, by lookup column.
    frequency_lookups: Mapping[str, pa.Table] = field(default_factory=dict)


def _plain_input(records: Sequence[StandardRecord], settings: LinkageSettings) -> LinkageInput:
    present = address_columns_present(records)
    if any(record.document_numbers for record in records):
        present |= {DOCUMENTS}
    # Address columns no record fills are left out of the table (and of the model).
    values = _columns(records, leave_out=set(ADDRESS_COLUMNS) - present)
    # One arrow table, which counting the pairs, capping the blocks and Splink all read.
    table = arrow_table(values)
    rules = (*BLOCKING_RULES, *address_blocking_rules(present))
    guards, blocking = blocking_capped(table, rules, max_block=settings.max_block_records)
    columns: dict[str, Sequence[Any] | pa.Array] = dict(
        zip(table.column_names, (column.combine_chunks() for column in table.columns), strict=True)
    )
    frequencies = name_frequencies(columns)
    columns |= frequencies.columns
    return LinkageInput(
        record_ids=values["record_id"],
        columns=columns | guards,
        splink_settings=_settings(
            prior=match_prior(table),
            partial_share=partial_share(records),
            present=present,
            blocking=blocking,
        ),
        em_blocks=[block for block in EM_BLOCKS if pairs_agreeing(table, block) >= EM_MIN_PAIRS],
        frequency_lookups=frequencies.lookups,
    )


def _training_table(
    db_api: DatabaseAPISubClass,
    table: SplinkDataFrame,
    columns: Mapping[str, Sequence[Any] | pa.Array],
    settings: LinkageSettings,
) -> SplinkDataFrame:
    """The records to train on: the whole `table`, or on a large file a random sample of
    `settings.training_sample_records` of them (in file order)."""
    count, size = len(columns["record_id"]), settings.training_sample_records
    if count <= size:
        return table
    sample = random.Random(settings.seed).sample(range(count), size)  # noqa: S311 - not a secret
    return table_register(db_api, arrow_table(columns).take(sorted(sample)))


def _model_trained(
    db_api: DatabaseAPISubClass,
    table: SplinkDataFrame,
    linkage_input: LinkageInput,
    settings: LinkageSettings,
) -> dict[str, Any]:
    """The Splink model (settings and trained parameters) of `linkage_input` registered as
    `table`: u-probabilities from random pairs, m-probabilities by EM on each of its blocks."""
    training_table = _training_table(db_api, table, linkage_input.columns, settings)
    linker = Linker(training_table, linkage_input.splink_settings, log_level=logging.WARNING)
    lookups_register(linker, db_api, linkage_input.frequency_lookups)
    training = linker.training
    # All sampled pairs in one pass (num_chunks=1): Splink's default stops early on a chunk of
    # them picked by the database's own hash function, which gives DuckDB and Spark different
    # u-probabilities even when the sample holds every pair.
    training.estimate_u_using_random_sampling(
        max_pairs=settings.u_sampling_pairs, seed=settings.seed, num_chunks=1
    )
    for block in linkage_input.em_blocks:
        try:
            training.estimate_parameters_using_expectation_maximisation(block_on(*block))
        except ValueError as exc:
            # Splink refuses an m- or u-probability that EM drives below 1e-300, as it does on
            # a block where no match falls at some level (a file without any recording error);
            # its training session works on a copy, so the model keeps what it had.
            if "below the minimum allowed" not in str(exc):
                raise
            logger.warning("EM blocked on %s left out: %s", ", ".join(block), exc)
    # The prior stays the whole file's (EM does not change it; a sample's would be larger).
    model: dict[str, Any] = linker.misc.save_model_to_json()
    # On the whole file: shared document numbers are few, and each is worth a sampled pair.
    model = m_from_document_labels(
        db_api=db_api,
        columns=linkage_input.columns,
        model=model,
        frequency_lookups=linkage_input.frequency_lookups,
    )
    return rare_outcomes_floored(fuzzy_name_levels_weighed(model))


def records_link(
    *,
    records: Sequence[StandardRecord],
    settings: LinkageSettings | None = None,
    encoded: Sequence[EncodedRecord] = (),
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    review_evidence: bool = True,
) -> LinkageResult:
    """Train a model on `records`, score the candidate pairs and cluster them under the
    reviewers' decisions (`must_link`, `cannot_link`). With `encoded` (privacy-preserving
    mode, see pprl.py): the records known only by their keyed encodings, and the encoding of
    every plain record, on which it is compared with them. Without `review_evidence` the
    result holds no evidence for the review queue (`tiltas link` writes clusters only)."""
    settings = settings or LinkageSettings()
    if settings.backend not in BACKENDS:
        raise ValueError(
            f"backend: expected one of {', '.join(BACKENDS)}, got {settings.backend!r}"
        )
    if encoded and settings.backend != "duckdb":
        raise ValueError("backend: privacy-preserving linkage runs on duckdb only")
    if encoded:
        # Imported here: pprl_comparisons builds on this module's rules and levels.
        from .pprl_comparisons import pprl_input

        with stage_logged("table (columns, blocks, prior)"):
            linkage_input = pprl_input(records, encoded)
    else:
        with stage_logged("table (columns, blocks, prior)"):
            linkage_input = _plain_input(records, settings)
    ids = linkage_input.record_ids
    if len(ids) < 2:
        return LinkageResult({rid: rid for rid in ids}, [], settings)
    db_api = database_api(settings.backend)
    table = table_register(db_api, linkage_input.columns)
    with stage_logged("train (u sampling, EM)"):
        model = _model_trained(db_api, table, linkage_input, settings)
    with stage_logged("predict"):
        linker = Linker(table, model, log_level=logging.WARNING)
        lookups_register(linker, db_api, linkage_input.frequency_lookups)
        predictions = linker.inference.predict(
            threshold_match_probability=pairs_floor(settings),
            warning_mode="never",
        )
        pairs = [
            (str(row["record_id_l"]), str(row["record_id_r"]), float(row["match_probability"]))
            for row in predictions.as_record_list()
        ]
    # Imported here: birth_dates builds on the encodings of pprl.py, which builds on this module.
    from .birth_dates import birth_dates_of

    with stage_logged(f"cluster ({len(pairs)} pairs)"):
        must_link = list(must_link)
        # Only a record of a scored pair or a must-link needs its birth date (those of all
        # 1,000,000 demo records took 34 s and 2.9 GB): the others stay alone whatever their
        # dates.
        in_pairs = {rid for pair in must_link for rid in pair} | {
            rid for left, right, _ in pairs for rid in (left, right)
        }
        touched = [record for record in records if record.record_id in in_pairs]
        touched_encoded = [item for item in encoded if item.record_id in in_pairs]
        traits = clustering_traits(
            touched, birth_dates_of(touched, touched_encoded), touched_encoded
        )
        cluster_of = clusters_constrained(
            ids,
            pairs,
            threshold=settings.cluster_threshold,
            must_link=must_link,
            cannot_link=cannot_link,
            traits=traits,
        )
    evidence = (
        review_band_evidence(
            db_api=db_api,
            table=table,
            model=model,
            pairs=pairs,
            band=settings.review_band,
            frequency_lookups=linkage_input.frequency_lookups,
            traits=traits,
        )
        if review_evidence
        else []
    )
    return LinkageResult(cluster_of, pairs, settings, model=model, evidence=evidence)
