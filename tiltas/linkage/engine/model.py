"""Probabilistic linkage of standardised records with Splink (Fellegi-Sunter, trained by
expectation maximisation, term-frequency adjusted), clustered at a match-probability threshold."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from .address_model import (
    ADDRESS_COLUMNS,
    address_blocking_rules,
    address_columns_present,
    address_comparisons,
    traits_with_places,
)
from .backends import database_api, table_register
from .clustering import clusters_constrained
from .evidence import PairEvidence, pairs_evidence
from .standardise import StandardRecord

if TYPE_CHECKING:
    from .pprl import EncodedRecord

# The SQL written here (blocking rules, custom comparison levels) uses plain identifiers and
# functions that DuckDB and Spark both have (Splink brings damerau_levenshtein to Spark), so
# that the same model runs on either.
BACKENDS = ("duckdb", "spark")
DETERMINISTIC_RULE = ("given_key", "family_stem", "dob")
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
)

# Prior m-probabilities of the date levels, in level order (exact, swapped, one digit, year off
# by one, same year and month, 1 January default, same year, year within one, other). They are
# not left to EM because EM cannot tell namesakes (common names, different dates) from real
# date errors when it is blocked on names: it took namesakes for matches with wrong dates.
DATE_LEVEL_M = (0.80, 0.03, 0.07, 0.03, 0.02, 0.03, 0.01, 0.005, 0.005)
# When one of the two dates is only a year (a partial date, or an estimate from the apparent
# age): prior m-probabilities of the same year, a year off and up to three years off, given
# that a match has such a date; the rest falls to the last level ("other"). They are weighted
# by the share of matches that have such a date, estimated from the records (partial_share).
PARTIAL_DATE_LEVEL_M = (0.5, 0.25, 0.2)
PARTIAL_SHARE_MIN = 0.001


def blocking_rule_sql(rule: BlockingRule) -> str:
    """The Splink SQL condition of a blocking rule."""
    return " AND ".join(f"l.{left} = r.{right}" for left, right in rule)


@dataclass(frozen=True)
class LinkageSettings:
    """The settings of one linkage run; recorded with its results."""

    cluster_threshold: float = 0.9
    seed: int = 20260101
    u_sampling_pairs: float = 2e6
    backend: str = DEFAULT_BACKEND
    # Pairs scored in [low, high) go to the review queue with their evidence.
    review_band: tuple[float, float] = (0.5, 0.97)


@dataclass(frozen=True)
class LinkageResult:
    """A distinct-person id for every record, the scored candidate pairs above 0.5, and what a
    run record needs to reproduce it: the settings, the Splink version and the trained model."""

    cluster_of: dict[str, str]
    pairs: list[tuple[str, str, float]]
    settings: LinkageSettings
    splink_version: str = splink.__version__
    model: dict[str, Any] = field(default_factory=dict)
    evidence: list[PairEvidence] = field(default_factory=list)


def _name_comparison(
    output: str, key: str, stem: str | None, phonetic: str, if_swapped: str
) -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel(key),
        cll.ExactMatchLevel(key, term_frequency_adjustments=True),
    ]
    fuzzy = stem or key
    if stem is not None:
        levels.append(
            cll.ExactMatchLevel(stem).configure(label_for_charts="same stem (gender form)")
        )
    levels += [
        cll.CustomLevel(
            f"{fuzzy}_l = {if_swapped}_r OR {if_swapped}_l = {fuzzy}_r",
            "equal with given and family name swapped",
        ),
        cll.DamerauLevenshteinLevel(fuzzy, 1),
        cll.JaroWinklerLevel(fuzzy, 0.9),
        cll.ExactMatchLevel(phonetic).configure(label_for_charts="same sound"),
        cll.JaroWinklerLevel(fuzzy, 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(comparison_levels=levels, output_column_name=output)


def date_level_m(partial_share: float) -> list[float]:
    """The m-probabilities of the date levels in order: the exact date, the three levels of a
    date known only to its year, then the other levels of full dates (DATE_LEVEL_M after the
    first); the "other" level takes what the year-only levels leave."""
    m_probabilities = [(1 - partial_share) * m for m in DATE_LEVEL_M]
    m_probabilities[-1] += partial_share * (1 - sum(PARTIAL_DATE_LEVEL_M))
    m_probabilities[1:1] = [partial_share * m for m in PARTIAL_DATE_LEVEL_M]
    return m_probabilities


def _date_comparison(partial_share: float) -> cl.CustomComparison:
    same_year = "dob_year_l = dob_year_r"
    levels: list[Any] = [
        cll.CustomLevel("dob_l = dob_r", "exact date"),
        cll.CustomLevel(
            f"{same_year} AND dob_day_l = dob_month_r AND dob_month_l = dob_day_r",
            "day and month swapped",
        ),
        cll.CustomLevel("damerau_levenshtein(dob_l, dob_r) <= 1", "one digit off"),
        cll.CustomLevel(
            "dob_month_l = dob_month_r AND dob_day_l = dob_day_r "
            "AND abs(dob_year_l - dob_year_r) <= 1",
            "year off by one",
        ),
        cll.CustomLevel(
            f"{same_year} AND (dob_month_l IS NULL OR dob_month_r IS NULL "
            "OR dob_month_l = dob_month_r)",
            "same year, compatible month",
        ),
        cll.CustomLevel(
            f"{same_year} AND (dob_l LIKE '%-01-01' OR dob_r LIKE '%-01-01')",
            "same year, one date a 1 January default",
        ),
        cll.CustomLevel(f"{same_year}", "same year"),
        cll.CustomLevel("abs(dob_year_l - dob_year_r) <= 1", "year within one"),
        cll.ElseLevel(),
    ]
    # Only a year for one of them: after the exact date (the top level, "agree" for the
    # reviewers), before the other levels of full dates, which would take a year alone for a
    # date that agrees with nothing but its year.
    partial = "(dob_l IS NULL OR dob_r IS NULL)"
    years_apart = "abs(dob_year_l - dob_year_r)"
    levels[1:1] = [
        cll.CustomLevel(f"{partial} AND {same_year}", "only a year known, the same"),
        cll.CustomLevel(f"{partial} AND {years_apart} <= 1", "only a year known, one off"),
        cll.CustomLevel(f"{partial} AND {years_apart} <= 3", "only a year known, three off"),
    ]
    fixed = [
        level.configure(m_probability=m, fix_m_probability=True)
        for level, m in zip(levels, date_level_m(partial_share), strict=True)
    ]
    null = cll.CustomLevel("dob_year_l IS NULL OR dob_year_r IS NULL").configure(is_null_level=True)
    return cl.CustomComparison(output_column_name="date_of_birth", comparison_levels=[null, *fixed])


def _exact_comparison(column: str, *, term_frequencies: bool) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=term_frequencies),
            cll.ElseLevel(),
        ],
    )


def _settings(*, prior: float, partial_share: float, present: frozenset[str]) -> SettingsCreator:
    comparisons: list[Any] = [
        _name_comparison("given_name", "given_key", None, "given_phonetic", "given_key_if_swapped"),
        _name_comparison(
            "family_name", "family_key", "family_stem", "family_phonetic", "family_stem_if_swapped"
        ),
        _date_comparison(partial_share),
        _exact_comparison("sex", term_frequencies=False),
        _exact_comparison("citizenship", term_frequencies=True),
    ]
    comparisons += address_comparisons(present)
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            CustomRule(blocking_rule_sql(rule))
            for rule in (*BLOCKING_RULES, *address_blocking_rules(present))
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _columns(
    records: Sequence[StandardRecord], *, leave_out: Iterable[str] = ()
) -> dict[str, list[Any]]:
    # getattr, not dataclasses.asdict: asdict deep-copies every record, five times slower on
    # large files (values are only read here).
    skipped = {"names_swapped", *leave_out}
    names = [field.name for field in fields(StandardRecord) if field.name not in skipped]
    return {name: [getattr(record, name) for record in records] for name in names}


def _pairs_agreeing(records: Sequence[StandardRecord], columns: tuple[str, ...]) -> int:
    """How many record pairs agree (non-null) on all `columns`."""
    groups = Counter(
        key
        for key in (tuple(getattr(record, column) for column in columns) for record in records)
        if None not in key
    )
    return sum(count * (count - 1) // 2 for count in groups.values())


def match_prior(records: Sequence[StandardRecord]) -> float:
    """The probability that two random records match: pairs agreeing on names and full date,
    taken as DETERMINISTIC_RECALL of all matches, over all pairs; never zero, so that a file
    without such pairs still links on weaker evidence."""
    total = len(records) * (len(records) - 1) // 2
    agreeing = _pairs_agreeing(records, DETERMINISTIC_RULE) / DETERMINISTIC_RECALL
    return min(max(agreeing, 1.0) / max(total, 1), 0.5)


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
    columns: dict[str, list[Any]]
    splink_settings: SettingsCreator
    em_blocks: list[tuple[str, ...]]


def _plain_input(records: Sequence[StandardRecord]) -> LinkageInput:
    present = address_columns_present(records)
    return LinkageInput(
        record_ids=[record.record_id for record in records],
        # Address columns no record fills are left out of the table (and of the model).
        columns=_columns(records, leave_out=set(ADDRESS_COLUMNS) - present),
        splink_settings=_settings(
            prior=match_prior(records), partial_share=partial_share(records), present=present
        ),
        em_blocks=[block for block in EM_BLOCKS if _pairs_agreeing(records, block) >= EM_MIN_PAIRS],
    )


def records_link(
    *,
    records: Sequence[StandardRecord],
    settings: LinkageSettings | None = None,
    encoded: Sequence[EncodedRecord] = (),
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> LinkageResult:
    """Train a model on `records`, score the candidate pairs and cluster them under the
    reviewers' decisions (`must_link`, `cannot_link`). With `encoded` (privacy-preserving
    mode, see pprl.py): the records known only by their keyed encodings, and the encoding of
    every plain record, on which it is compared with them."""
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

        linkage_input = pprl_input(records, encoded)
    else:
        linkage_input = _plain_input(records)
    ids = linkage_input.record_ids
    if len(ids) < 2:
        return LinkageResult({rid: rid for rid in ids}, [], settings)
    db_api = database_api(settings.backend)
    table = table_register(db_api, linkage_input.columns)
    linker = Linker(table, linkage_input.splink_settings, log_level=logging.WARNING)
    training = linker.training
    # All sampled pairs in one pass (num_chunks=1): Splink's default stops early on a chunk of
    # them picked by the database's own hash function, which gives DuckDB and Spark different
    # u-probabilities even when the sample holds every pair.
    training.estimate_u_using_random_sampling(
        max_pairs=settings.u_sampling_pairs, seed=settings.seed, num_chunks=1
    )
    for block in linkage_input.em_blocks:
        training.estimate_parameters_using_expectation_maximisation(block_on(*block))
    predictions = linker.inference.predict(threshold_match_probability=0.5, warning_mode="never")
    pairs = [
        (str(row["record_id_l"]), str(row["record_id_r"]), float(row["match_probability"]))
        for row in predictions.as_record_list()
    ]
    # Imported here: birth_dates builds on the encodings of pprl.py, which builds on this module.
    from .birth_dates import birth_dates_of

    cluster_of = clusters_constrained(
        ids,
        pairs,
        threshold=settings.cluster_threshold,
        must_link=must_link,
        cannot_link=cannot_link,
        traits=traits_with_places(records, birth_dates_of(records, encoded)),
    )
    model = linker.misc.save_model_to_json()
    low, high = settings.review_band
    band = [pair for pair in pairs if low <= pair[2] < high]
    evidence = pairs_evidence(db_api=db_api, table=table, model=model, pairs=band)
    return LinkageResult(cluster_of, pairs, settings, model=model, evidence=evidence)
