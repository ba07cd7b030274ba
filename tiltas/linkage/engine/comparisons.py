"""The comparisons of the linkage model, field by field, and the weights their levels may take
once trained (no Django): names weighed by their frequency within the citizenship, dates with
fixed priors for recording errors, sex, citizenship, the organisation (one or two) and document
numbers.

Written with Splink's level library and SQL that DuckDB and Spark both have (Splink brings
damerau_levenshtein to Spark), so that the same model runs on either; a typing error is tested
as edits.py does it, for speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl

from .edits import one_edit_apart, one_edit_apart_sql
from .term_frequencies import frequency_column, within

# Prior m-probabilities of the date levels, in level order (exact, swapped, one digit, year off
# by one, same year and month, 1 January default, same year, year within one, other). They are
# not left to EM because EM cannot tell namesakes (common names, different dates) from real
# date errors when it is blocked on names: it took namesakes for matches with wrong dates. Where
# records share document numbers, the pairs they label move them (document_labels.py).
DATE_LEVEL_M = (0.80, 0.03, 0.07, 0.03, 0.02, 0.03, 0.01, 0.005, 0.005)
# When one of the two dates is only a year (a partial date, or an estimate from the apparent
# age): prior m-probabilities of the same year, a year off and up to three years off, given
# that a match has such a date; the rest falls to the last level ("other"). They are weighted
# by the share of matches that have such a date, estimated from the records (model.partial_share).
PARTIAL_DATE_LEVEL_M = (0.5, 0.25, 0.2)
# The labels of those levels, in order.
PARTIAL_DATE_LABELS = (
    "only a year known, the same",
    "only a year known, one off",
    "only a year known, three off",
)


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
    the whole surname). The levels of close names of which one is rare (RARE_NAME_SUFFIX) are
    left as trained: a typing error in Kazlauskas is rare, however common Kazlauskas is, and
    weighed by Kazlauskas it counted for almost nothing."""
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
                or str(level.get("label_for_charts", "")).endswith(RARE_NAME_SUFFIX)
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


# The least share of one person's record pairs that EM may find at the rare outcome of a
# comparison: disagreeing on sex or on citizenship, or recorded by one organisation. A file
# without any such case (the demo's has no recording error of sex or citizenship, and no
# organisation there recorded anyone twice) drives it to about 1e-21, which no agreement
# elsewhere can outweigh: one clerical error, or one duplicate within an organisation, would
# then keep a person's records apart whatever their names and dates. With the floor the rare
# outcome still weighs about 1/100 to 1/500.
MIN_RARE_OUTCOME_M = 1e-3
# Comparison -> the index of its rare level among its non-null levels: the disagreement (last)
# of sex and citizenship, "one organisation" (first) of the source. Each has two non-null
# levels, so that the other one (which gives up the m) is at the opposite end.
RARE_OUTCOMES = {"sex": -1, "citizenship": -1, "source": 0}


def rare_outcomes_floored(model: dict[str, Any]) -> dict[str, Any]:
    """`model` (trained) with the m-probability of each RARE_OUTCOMES level at least
    MIN_RARE_OUTCOME_M, taken from the comparison's other level so that the levels' m still
    sum to 1."""
    for comparison in model["comparisons"]:
        index = RARE_OUTCOMES.get(comparison["output_column_name"])
        if index is None:
            continue
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        rare, other = levels[index], levels[-1 - index]
        m_rare, m_other = rare.get("m_probability"), other.get("m_probability")
        if not isinstance(m_rare, float) or not isinstance(m_other, float):
            continue
        if m_rare < MIN_RARE_OUTCOME_M:
            other["m_probability"] = m_other - (MIN_RARE_OUTCOME_M - m_rare)
            rare["m_probability"] = MIN_RARE_OUTCOME_M
    return model


# The m-probabilities of one organisation and of different ones before training (EM's start).
SOURCE_START_M = (0.2, 0.8)


def source_comparison() -> cl.CustomComparison:
    """Whether two records come from one organisation (the `source`). An organisation that
    knows whom it has recorded seldom records one person twice, so that one person's records
    come mostly from different organisations; how seldom is trained (EM, and the records that
    share a document number), not assumed: in persons-20k a fifth of one person's record
    pairs come from one organisation, in the demo's records none."""
    return cl.CustomComparison(
        output_column_name="source",
        comparison_levels=[
            cll.NullLevel("source"),
            # Starting m-probabilities for EM, and those of a file too small to train on, where
            # Splink's defaults (made for a disagreement) would count different organisations
            # strongly against one person.
            cll.ExactMatchLevel("source").configure(
                label_for_charts="one organisation", m_probability=SOURCE_START_M[0]
            ),
            cll.ElseLevel().configure(
                label_for_charts="different organisations", m_probability=SOURCE_START_M[1]
            ),
        ],
    )


# The m- and u-probabilities of the names-swapped level, fixed: standardisation puts most
# swapped names back (standardise.records_standardise), so that the few left are too rare for
# EM, which drove the level's m to zero in a block of 100,000 records and lost the whole block's
# training, and for u sampling, which met none of 2 million random pairs there (Splink then
# takes a default u far too large for so rare a coincidence). The u is Splink's own for a level
# no sampled pair reached.
SWAPPED_M = 1e-3
SWAPPED_U = 1e-6


def names_swapped_level(
    column: Callable[[str], str] = str, *, close: Callable[[str, str], str] | None = None
) -> Any:
    """The level of names_swapped_sql, its m- and u-probabilities fixed (SWAPPED_M, SWAPPED_U)."""
    return cll.CustomLevel(names_swapped_sql(column, close=close), SWAPPED_LABEL).configure(
        m_probability=SWAPPED_M,
        fix_m_probability=True,
        u_probability=SWAPPED_U,
        fix_u_probability=True,
    )


def names_swapped_sql(
    column: Callable[[str], str] = str, *, close: Callable[[str, str], str] | None = None
) -> str:
    """Both names alike once one record's given and family names are exchanged (Rasa
    Petrauskaitė written as Petrauskaitė Rasa), `column` naming each standardised field's
    column: one name equal to the other record's other name, and the second pair equal too,
    or `close` (SQL true for two close values) when given. Standardisation puts swapped names
    back by their frequency in the file, so that a swap with a typing error is common (Tomas
    Rachelle put back as Rachelle Tomas, the same person written Rachelle Tpmas elsewhere). One
    name alone (Matas Ignys and Ignas Kosys, whose Ignys and Ignas share a stem) is a
    coincidence of two people: counted in both name comparisons, it outweighed their
    disagreement (such pairs scored 0.99)."""
    given, given_swapped = column("given_key"), column("given_key_if_swapped")
    stem, stem_swapped = column("family_stem"), column("family_stem_if_swapped")
    orientations = []
    for given_l, given_r, stem_l, stem_r in (
        (f"{given}_l", f"{given_swapped}_r", f"{stem}_l", f"{stem_swapped}_r"),
        (f"{given_swapped}_l", f"{given}_r", f"{stem_swapped}_l", f"{stem}_r"),
    ):
        if close is None:
            orientations.append(f"({given_l} = {given_r} AND {stem_l} = {stem_r})")
        else:
            orientations.append(
                f"({given_l} = {given_r} AND {close(stem_l, stem_r)})"
                f" OR ({stem_l} = {stem_r} AND {close(given_l, given_r)})"
            )
    return "(" + " OR ".join(orientations) + ")"


# A name borne by fewer than this share of the records of its citizenship is rare. Two close
# names (one typing error apart, or alike) of which one is rare are most often one name mistyped
# (Kazlauskas and Kazlausaks), two common ones most often two names (Lê and Lý, Vietnamese
# both): each kind has a level of its own, whose m and u are trained. The sound and the looser
# likeness are not split: more levels, each reached by few pairs, left EM with an m below what
# Splink accepts on the demo's 100,000 records, and its date-blocked training was lost.
RARE_NAME_FREQUENCY = 1e-3
RARE_NAME_SUFFIX = ", one name rare"


def name_comparison(output: str, key: str, stem: str | None, phonetic: str) -> cl.CustomComparison:
    levels: list[Any] = [cll.NullLevel(key), name_exact_level(key)]
    if stem is not None:
        levels.append(name_exact_level(stem, label="same stem (gender form)"))

    def close(level: Callable[[str], Any], label: str) -> Any:
        # A typo in a surname's ending hides the ending from the stemmer (Manišys -> 'manis',
        # Manišyd -> 'manisid'): a surname is close when its stems or its whole keys are.
        if stem is None:
            return level(key)
        return cll.Or(level(stem), level(key)).configure(
            label_for_charts=f"{label} (stem or whole name)"
        )

    frequency = frequency_column(stem or key)

    def rare_first(level: Callable[[str], Any], label: str) -> list[Any]:
        # The close names of which one is rare, then the others (both common).
        rare = cll.And(
            close(level, label),
            cll.CustomLevel(f"least({frequency}_l, {frequency}_r) < {RARE_NAME_FREQUENCY}"),
        ).configure(label_for_charts=f"{label}{RARE_NAME_SUFFIX}")
        return [rare, close(level, label)]

    levels += [
        names_swapped_level(close=one_edit_apart_sql),
        *rare_first(one_edit_apart, "one typing error apart"),
        *rare_first(lambda column: cll.JaroWinklerLevel(column, 0.9), "JaroWinklerLevel 0.9"),
        cll.ExactMatchLevel(phonetic).configure(label_for_charts="same sound"),
        close(lambda column: cll.JaroWinklerLevel(column, 0.8), "JaroWinklerLevel 0.8"),
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


def date_comparison(partial_share: float) -> cl.CustomComparison:
    same_year = "dob_year_l = dob_year_r"
    levels: list[Any] = [
        cll.CustomLevel("dob_l = dob_r", "exact date"),
        cll.CustomLevel(
            f"{same_year} AND dob_day_l = dob_month_r AND dob_month_l = dob_day_r",
            "day and month swapped",
        ),
        cll.CustomLevel(
            f"{_TWO_PARTS_EQUAL} AND {one_edit_apart_sql('dob_l', 'dob_r')}", "one digit off"
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
        cll.CustomLevel(f"{partial} AND {same_year}", PARTIAL_DATE_LABELS[0]),
        cll.CustomLevel(f"{partial} AND {years_apart} <= 1", PARTIAL_DATE_LABELS[1]),
        cll.CustomLevel(f"{partial} AND {years_apart} <= 3", PARTIAL_DATE_LABELS[2]),
    ]
    return date_comparison_fixed(levels, partial_share, year="dob_year")


def date_comparison_fixed(
    levels: list[Any], partial_share: float, *, year: str
) -> cl.CustomComparison:
    """The date of birth compared by `levels` (those of date_level_m, in its order), each with
    its m-probability fixed, after the null level: no year on one side (column `year`)."""
    fixed = [
        level.configure(m_probability=m, fix_m_probability=True)
        for level, m in zip(levels, date_level_m(partial_share), strict=True)
    ]
    null = cll.CustomLevel(f"{year}_l IS NULL OR {year}_r IS NULL").configure(is_null_level=True)
    return cl.CustomComparison(output_column_name="date_of_birth", comparison_levels=[null, *fixed])


def exact_comparison(column: str, *, term_frequencies: bool) -> cl.CustomComparison:
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
