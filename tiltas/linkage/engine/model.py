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
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from .address_model import (
    ADDRESS_COLUMNS,
    address_blocking_rules,
    address_columns_present,
    address_comparisons,
    traits_with_places,
)
from .backends import arrow_table, database_api, table_register
from .blocking import MAX_BLOCK_RECORDS, blocking_capped, pairs_agreeing
from .blocking import blocking_rule_sql as blocking_rule_sql  # where the tests find it
from .clustering import clusters_constrained
from .evidence import PairEvidence, review_band_evidence
from .stages import stage_logged
from .standardise import StandardRecord
from .term_frequencies import NameFrequencies, frequencies_within, lookups_register, within

if TYPE_CHECKING:
    from .pprl import EncodedRecord

# The SQL written here (blocking rules, custom comparison levels) uses plain identifiers and
# functions that DuckDB and Spark both have (Splink brings damerau_levenshtein to Spark), so
# that the same model runs on either.
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


def pairs_floor(settings: LinkageSettings, *, review: bool = True) -> float:
    """The lowest probability of a pair worth keeping: that of the review band, when the pairs
    are reviewed, and that of the cluster threshold."""
    if not review:
        return settings.cluster_threshold
    return min(settings.review_band[0], settings.cluster_threshold)


def name_exact_level(key: str, *, label: str | None = None) -> Any:
    """The level of a name (or of a surname's stem) equal on both records, weighed by its
    frequency within the citizenship (term_frequencies.py): two forms of a rare surname
    (Ambrutė, Ambrienė) are stronger evidence than two forms of Kazlauskas."""
    level: Any = cll.ExactMatchLevel(key)
    if label is not None:
        level = level.configure(label_for_charts=label)
    return level.configure(
        tf_adjustment_column=within(key),
        tf_adjustment_weight=1.0,
        # The level's own u: Splink would look for an exact level on the lookup column.
        disable_tf_exact_match_detection=True,
    )


# The label of the name level that compares given with family name (a surname written as the
# given name): its frequency would be that of another column.
SWAPPED_LABEL = "equal with given and family name swapped"


def fuzzy_name_levels_weighed(model: dict[str, Any]) -> dict[str, Any]:
    """`model` (trained) with the weight of each close-but-unequal level of the names (one typo
    apart, alike, the same sound) lowered where the more common of the two names is commoner,
    within the citizenship, than the level's own u-probability (Splink takes the larger of the
    two frequencies and of `tf_minimum_u_value`, the level's u here). Lê and Lý, Võ and Vũ are
    one letter apart and each borne by one Vietnamese in ten or more: that they are close says
    little, while the level's u, counted over the whole file, took it for strong evidence (at
    1,000,000 demo records, pairs of such names scored 0.8 were one person in one case out of
    twenty). The weight is never raised: how many names lie near a rare one is not its
    frequency. Applied after training, which the level's u must precede; the frequency is
    that of the comparison's last frequency-weighed level (the surname's stem, commoner than
    the whole surname)."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] not in ("given_name", "family_name"):
            continue
        levels = comparison["comparison_levels"]
        weighed = [
            level["tf_adjustment_column"] for level in levels if level.get("tf_adjustment_column")
        ]
        if not weighed:
            continue
        for level in levels:
            if (
                level.get("is_null_level")
                or level.get("tf_adjustment_column")
                or level["sql_condition"] == "ELSE"
                or level.get("label_for_charts") == SWAPPED_LABEL
                or not isinstance(level.get("u_probability"), float)
            ):
                continue
            level.update(
                tf_adjustment_column=weighed[-1],
                tf_adjustment_weight=1.0,
                tf_minimum_u_value=level["u_probability"],
                disable_tf_exact_match_detection=True,
            )
    return model


# The least share of one person's record pairs that EM may find disagreeing on sex or on
# citizenship. A file without any such recording error (the demo's) drives it to about 1e-21,
# which no agreement elsewhere can outweigh: one clerical error would then keep a person's records
# apart whatever their names and dates. With the floor a disagreement still weighs about 1/500.
MIN_DISAGREEMENT_M = 1e-3
FLOORED_DISAGREEMENTS = ("sex", "citizenship")


def disagreements_floored(model: dict[str, Any]) -> dict[str, Any]:
    """`model` (trained) with the m-probability of disagreeing on sex or citizenship at least
    MIN_DISAGREEMENT_M, taken from the agreement level so that the levels' m still sum to 1."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] not in FLOORED_DISAGREEMENTS:
            continue
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        agree, disagree = levels[0], levels[-1]
        m_agree, m_disagree = agree.get("m_probability"), disagree.get("m_probability")
        if not isinstance(m_agree, float) or not isinstance(m_disagree, float):
            continue
        if m_disagree < MIN_DISAGREEMENT_M:
            agree["m_probability"] = m_agree - (MIN_DISAGREEMENT_M - m_disagree)
            disagree["m_probability"] = MIN_DISAGREEMENT_M
    return model


def _name_comparison(
    output: str, key: str, stem: str | None, phonetic: str, if_swapped: str
) -> cl.CustomComparison:
    levels: list[Any] = [cll.NullLevel(key), name_exact_level(key)]
    fuzzy = stem or key
    if stem is not None:
        levels.append(name_exact_level(stem, label="same stem (gender form)"))

    def close(level: type[Any], threshold: float) -> Any:
        # A typo in a surname's ending hides the ending from the stemmer (Manišys -> 'manis',
        # Manišyd -> 'manisid'): a surname is close when its stems or its whole keys are.
        if stem is None:
            return level(key, threshold)
        return cll.Or(level(stem, threshold), level(key, threshold)).configure(
            label_for_charts=f"{level.__name__} {threshold} (stem or whole name)"
        )

    levels += [
        cll.CustomLevel(f"{fuzzy}_l = {if_swapped}_r OR {if_swapped}_l = {fuzzy}_r", SWAPPED_LABEL),
        close(cll.DamerauLevenshteinLevel, 1),
        close(cll.JaroWinklerLevel, 0.9),
        cll.ExactMatchLevel(phonetic).configure(label_for_charts="same sound"),
        close(cll.JaroWinklerLevel, 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(comparison_levels=levels, output_column_name=output)


# Two full dates (YYYY-MM-DD) one edit apart share two of year, month and day: the edit changes
# one digit or swaps two neighbouring ones, within one part. Tested first, it spares most pairs
# the Damerau-Levenshtein distance, the costliest function of a comparison (a third of the time
# of scoring the pairs), with the same levels.
_TWO_PARTS_EQUAL = (
    "(CASE WHEN dob_year_l = dob_year_r THEN 1 ELSE 0 END"
    " + CASE WHEN dob_month_l = dob_month_r THEN 1 ELSE 0 END"
    " + CASE WHEN dob_day_l = dob_day_r THEN 1 ELSE 0 END) >= 2"
)


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
        cll.CustomLevel(
            f"{_TWO_PARTS_EQUAL} AND damerau_levenshtein(dob_l, dob_r) <= 1", "one digit off"
        ),
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


def documents_comparison(column: str) -> cl.CustomComparison:
    """The document numbers (a list `column`, null when a record has none): one in common,
    or none in common, which is weak evidence only, people holding several documents; m and
    u are trained."""
    return cl.CustomComparison(
        output_column_name="document_number",
        comparison_levels=[
            cll.NullLevel(column),
            cll.ArrayIntersectLevel(column, min_intersection=1).configure(
                label_for_charts="a document number in common"
            ),
            cll.ElseLevel().configure(label_for_charts="no document number in common"),
        ],
    )


def _settings(
    *, prior: float, partial_share: float, present: frozenset[str], blocking: Sequence[str]
) -> SettingsCreator:
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
    return disagreements_floored(fuzzy_name_levels_weighed(model))


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
            threshold_match_probability=pairs_floor(settings, review=review_evidence),
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
        traits = traits_with_places(
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
