"""BIC selection: the exhaustive search finds the best admissible model; the greedy one improves."""

import itertools

import numpy as np
import pytest

from tiltas.estimation.methods import bic_select, design_for, model_check, model_fit
from tiltas.estimation.methods.selection import bic, bic_log_dark_figures
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


@pytest.mark.parametrize("name", ["western_us_5list.csv", "uk_2013_5list.csv"])
def test_bic_on_many_tables_at_once_chooses_as_table_by_table(name):
    # The bootstrap path (every model fitted to all resamples at once) must give each resample
    # the estimate of the one-table search: same fits, same preference, same existence checks.
    table = load_table(name)
    design = design_for(table.list_count)
    observed = int(table.counts.sum())
    resamples = np.random.default_rng(5).multinomial(observed, table.counts / observed, size=12)
    tables = np.zeros((len(resamples), design.cell_count), dtype=np.int64)
    tables[:, table.row_cells] = resamples
    together = bic_log_dark_figures(design, tables)
    one_by_one = [bic_select(design, counts).fit.coefficients[0] for counts in tables]
    np.testing.assert_allclose(together, one_by_one, rtol=1e-9)


def test_bic_on_many_tables_is_for_up_to_five_lists():
    with pytest.raises(ValueError, match="up to 5 lists"):
        bic_log_dark_figures(design_for(6), np.ones((1, 63), dtype=np.int64))
