"""The engine reproduces the published analyses of real data (mse.md part C)."""

import math

import numpy as np
import pytest

from tiltas.estimation.methods import (
    EstimationError,
    Method,
    capture_table_parse,
    design_for,
    model_check,
    population_estimate,
)
from tiltas.estimation.methods.loglinear import (
    existence_by_rank,
    mle_exists,
    mle_exists_primal,
    model_matrix,
)
from tiltas.estimation.methods.table import all_pairs
from tiltas.estimation.tests.conftest import load_table

pytestmark = pytest.mark.nodb


def test_new_orleans_185_stepwise_selects_only_d_e_and_gives_1183_7(new_orleans_185):
    result = population_estimate(new_orleans_185, method="stepwise", threshold=0.02)
    assert result.model == ("D:E",)
    assert result.non_overlapping_pairs == ()
    assert result.estimate == pytest.approx(1183.7, abs=0.05)
    assert result.dark_figure == pytest.approx(result.estimate - 185)


def test_new_orleans_185_main_effects_give_996_7(new_orleans_185):
    result = population_estimate(new_orleans_185, method="independence")
    assert result.model == ()
    assert result.estimate == pytest.approx(996.7, abs=0.05)


def test_new_orleans_186_version_gives_the_lower_published_figure(new_orleans_186):
    # mse.md: the eight-list stepwise estimate is 1,184 on n = 185 and 1,110 on n = 186.
    result = population_estimate(new_orleans_186)
    assert result.model == ("D:E",)
    assert round(result.estimate) == 1110


def test_new_orleans_five_lists_selects_no_pair_and_gives_1034_2():
    table = load_table("new_orleans_5list.csv")
    assert table.observed == 185
    result = population_estimate(table)
    assert result.model == ()
    assert result.estimate == pytest.approx(1034.2, abs=0.05)


def test_western_stepwise_selects_a_e_and_gives_2483_4(western):
    result = population_estimate(western)
    assert result.model == ("A:E",)
    assert result.estimate == pytest.approx(2483.4, abs=0.05)


def test_uk_2013_five_lists_stepwise_gives_11313_0():
    result = population_estimate(load_table("uk_2013_5list.csv"))
    assert result.estimate == pytest.approx(11313.0, abs=0.05)


def test_uk_2013_six_lists_stepwise_gives_the_sparsemse_11418():
    result = population_estimate(load_table("uk_2013_6list.csv"))
    assert round(result.estimate) == 11418


def test_selection_order_is_recorded_with_p_values_below_the_threshold(new_orleans_185):
    steps = population_estimate(new_orleans_185).diagnostics["steps"]
    assert [step["pair"] for step in steps] == ["D:E"]
    assert steps[0]["observed_overlap"] == 3
    assert steps[0]["p_value"] < 0.02


def test_threshold_zero_is_the_main_effects_model(western):
    assert population_estimate(western, threshold=0.0).model == ()
    assert population_estimate(western, threshold=0.0).estimate == pytest.approx(
        population_estimate(western, method="independence").estimate
    )


def test_a_stricter_threshold_never_selects_more_pairs(western):
    strict = population_estimate(western, threshold=0.001)
    loose = population_estimate(western, threshold=0.2)
    assert set(strict.model) <= set(loose.model)


@pytest.mark.parametrize(
    ("pairs", "code"),
    [
        (((0, 1), (0, 2), (1, 2)), 2),
        (((0, 1),), 1),
        (((0, 1), (0, 2)), 1),
        (((0, 1), (1, 2)), 1),
        ((), 0),
        (((0, 2),), 0),
        (((1, 2),), 0),
        (((0, 2), (1, 2)), 0),
    ],
)
def test_artificial_table_fails_the_existence_check_as_published(pairs, code):
    table = load_table("artificial_3list.csv")
    assert model_check(design_for(3), table.full_counts(), pairs) == code


def test_non_overlapping_pair_in_the_selected_model_is_fitted_at_minus_infinity():
    # Netherlands five lists: K and R share no one, yet the rule selects K:R.
    table = capture_table_parse(
        "IO,K,P,R,Z,count\n1,0,0,0,0,756\n0,1,0,0,0,1299\n0,0,1,0,0,4466\n0,0,0,1,0,650\n"
        "0,0,0,0,1,632\n1,1,0,0,0,1\n1,0,1,0,0,81\n1,0,0,1,0,5\n1,0,0,0,1,73\n0,1,1,0,0,44\n"
        "0,1,0,0,1,4\n0,0,1,1,0,82\n0,0,1,0,1,125\n0,0,0,1,1,2\n1,0,1,1,0,2\n1,0,1,0,1,11\n"
        "0,0,1,1,1,1\n"
    )
    assert table.observed == 8234
    result = population_estimate(table)
    assert "K:R" in result.model
    assert result.non_overlapping_pairs == ("K:R",)
    assert math.isfinite(result.estimate)


def test_two_list_log_linear_model_is_lincoln_petersen_with_its_textbook_variance():
    table = capture_table_parse("A,B,count\n1,0,60\n0,1,40\n1,1,20\n")
    result = population_estimate(table, method="independence")
    # dark figure = n10 * n01 / n11; var(log dark) = 1/n10 + 1/n01 + 1/n11
    assert result.dark_figure == pytest.approx(60 * 40 / 20)
    assert result.diagnostics["se_log_dark_figure"] == pytest.approx(
        math.sqrt(1 / 60 + 1 / 40 + 1 / 20)
    )
    z = 1.959963984540054
    se = math.sqrt(1 / 60 + 1 / 40 + 1 / 20)
    assert result.interval_95[0] == pytest.approx(120 + 120 * math.exp(-z * se))
    assert result.interval_95[1] == pytest.approx(120 + 120 * math.exp(z * se))
    assert result.interval_kind == "wald"


def test_wald_80_interval_lies_inside_the_95_interval_around_the_estimate(new_orleans_185):
    result = population_estimate(new_orleans_185)
    low95, high95 = result.interval_95
    low80, high80 = result.interval_80
    assert low95 < low80 < result.estimate < high80 < high95


def test_chapman_estimate_and_variance():
    table = capture_table_parse("A,B,count\n1,0,60\n0,1,40\n1,1,20\n")
    result = population_estimate(table, method=Method.CHAPMAN)
    assert result.estimate == pytest.approx(81 * 61 / 21 - 1)
    variance = 81 * 61 * 60 * 40 / (21**2 * 22)
    assert result.diagnostics["variance"] == pytest.approx(variance)
    assert result.interval_95[0] < result.estimate < result.interval_95[1]


def test_chapman_refuses_more_than_two_lists(western):
    with pytest.raises(EstimationError) as caught:
        population_estimate(western, method="chapman")
    assert caught.value.code == "chapman_needs_two_lists"


def test_lists_that_never_overlap_give_no_estimate():
    table = capture_table_parse("A,B,count\n1,0,60\n0,1,40\n")
    with pytest.raises(EstimationError) as caught:
        population_estimate(table)
    assert caught.value.code == "no_estimate"


def test_a_list_sharing_no_one_is_warned_about():
    table = capture_table_parse("A,B,C,count\n1,0,0,10\n0,1,0,8\n1,1,0,4\n0,0,1,5\n")
    warnings = population_estimate(table).diagnostics["warnings"]
    assert 'list "C" shares no one with any other list' in warnings


def test_dual_existence_lp_agrees_with_the_published_primal_lp():
    rng = np.random.default_rng(5)
    disagreements = []
    decided = 0
    for name in ["western_us_5list.csv", "new_orleans_5list.csv", "artificial_3list.csv"]:
        table = load_table(name)
        design = design_for(table.list_count)
        pairs = all_pairs(table.list_count)
        for _ in range(60):
            counts = table.full_counts(
                rng.multinomial(table.observed, table.counts / table.observed)
            )
            chosen = rng.choice(len(pairs), rng.integers(0, len(pairs) + 1), replace=False)
            model = model_matrix(design, counts, tuple(sorted(pairs[k] for k in chosen)))
            y = counts[model.kept].astype(float)
            if np.all(y > 0):
                continue
            decided += 1
            if mle_exists(model.matrix, y) != mle_exists_primal(model.matrix, y):
                disagreements.append((name, model.pairs))
    assert decided > 100
    assert disagreements == []


def test_existence_decided_by_rank_agrees_with_the_primal_lp():
    """Most existence questions are answered from the rank of the positive cells' rows, without
    an LP; every answer given that way must be the LP's."""
    rng = np.random.default_rng(9)
    answers: dict[tuple[bool, bool], int] = {}
    for name in ["western_us_5list.csv", "new_orleans_8list.csv", "artificial_3list.csv"]:
        table = load_table(name)
        design = design_for(table.list_count)
        pairs = all_pairs(table.list_count)
        for _ in range(150):
            size = int(rng.integers(5, table.observed + 1))
            counts = table.full_counts(rng.multinomial(size, table.counts / table.observed))
            chosen = rng.choice(len(pairs), rng.integers(0, len(pairs) + 1), replace=False)
            model = model_matrix(design, counts, tuple(sorted(pairs[k] for k in chosen)))
            y = counts[model.kept].astype(float)
            decided = existence_by_rank(model.matrix, y)
            if decided is None or np.all(y > 0):
                continue
            key = (decided, mle_exists_primal(model.matrix, y))
            answers[key] = answers.get(key, 0) + 1
    assert set(answers) == {(True, True), (False, False)}, answers
    assert min(answers.values()) >= 20
