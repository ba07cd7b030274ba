"""BIC selection: the exhaustive search finds the best admissible model; the greedy one improves."""

import itertools

import pytest

from tiltas.estimation.methods import bic_select, design_for, model_check, model_fit
from tiltas.estimation.methods.selection import bic
from tiltas.estimation.tests.conftest import load_table

pytestmark = pytest.mark.nodb


def test_exhaustive_bic_beats_every_admissible_model_on_three_lists():
    table = load_table("korea_3list.csv")
    design, counts = design_for(3), table.full_counts()
    selection = bic_select(design, counts)
    assert selection.criterion is not None
    pairs = [(0, 1), (0, 2), (1, 2)]
    for size in range(len(pairs) + 1):
        for model in itertools.combinations(pairs, size):
            if model and model_check(design, counts, model) != 0:
                continue
            assert selection.criterion <= bic(model_fit(design, counts, model), 123) + 1e-9
    assert selection.models_considered == 8


def test_bic_on_western_selects_a_e(western):
    selection = bic_select(design_for(5), western.full_counts())
    assert selection.fit.model.pairs == ((0, 4),)
    assert selection.models_considered == 1024


def test_greedy_bic_beyond_five_lists_improves_on_independence(new_orleans_185):
    design, counts = design_for(8), new_orleans_185.full_counts()
    selection = bic_select(design, counts)
    assert selection.criterion is not None
    assert selection.criterion <= bic(model_fit(design, counts, ()), 185)
    assert model_check(design, counts, selection.fit.model.pairs) == 0
    assert selection.fit.model.pairs == ((3, 4),)
