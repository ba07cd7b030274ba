from pathlib import Path

import pytest

from tiltas.estimation.methods import CaptureTable, capture_table_parse

DATA = Path(__file__).parent / "data"


def load_table(name: str) -> CaptureTable:
    return capture_table_parse((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def new_orleans_185() -> CaptureTable:
    """New Orleans, eight lists, the n = 185 version (C+D = 1) behind the 2021 JASA figures."""
    table = load_table("new_orleans_8list.csv")
    assert table.observed == 185
    return table


@pytest.fixture
def new_orleans_186() -> CaptureTable:
    """New Orleans, eight lists, the n = 186 version (C+D = 2) of MultipleSystemsEstimation."""
    table = load_table("new_orleans_8list_v186.csv")
    assert table.observed == 186
    return table


@pytest.fixture
def western() -> CaptureTable:
    return load_table("western_us_5list.csv")
