"""The names-swapped level of the name comparisons: both names alike once one record's given
and family names are exchanged (one of them equal, the other equal or a typing error apart),
not one name of one record equal to the other name of the other."""

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from tiltas.linkage.engine.comparisons import names_swapped_sql
from tiltas.linkage.engine.edits import one_edit_apart_sql
from tiltas.linkage.engine.standardise import RawRecord, StandardRecord, record_standardise

SWAP_FIELDS = ("given_key", "given_key_if_swapped", "family_stem", "family_stem_if_swapped")


def _standard(given: str, family: str) -> StandardRecord:
    return record_standardise(RawRecord(record_id="x", given_name=given, family_name=family))


def _swapped(left: StandardRecord, right: StandardRecord, *, typo: bool = True) -> bool:
    columns = {
        f"{field}_{side}": [getattr(record, field)]
        for field in SWAP_FIELDS
        for side, record in (("l", left), ("r", right))
    }
    connection = duckdb.connect()
    connection.register("pairs", pa.table(columns))
    # As the plain model's level (typo) and the encoded one's (no typing error can be seen).
    condition = names_swapped_sql(close=one_edit_apart_sql if typo else None)
    [(agrees,)] = connection.execute(f"SELECT {condition} FROM pairs").fetchall()  # noqa: S608 - our SQL
    return bool(agrees)


def test_names_written_the_other_way_round_are_swapped_both_ways():
    rasa = _standard("Rasa", "Petrauskaitė")
    written_swapped = _standard("Petrauskaitė", "Rasa")
    for typo in (True, False):
        assert _swapped(rasa, written_swapped, typo=typo)
        assert _swapped(written_swapped, rasa, typo=typo)


def test_a_swap_with_a_typing_error_is_a_swap_where_typing_errors_are_seen():
    rasa = _standard("Rasa", "Petrauskaitė")
    written_swapped = _standard("Petruaskaitė", "Rasa")
    assert _swapped(rasa, written_swapped) and _swapped(written_swapped, rasa)
    assert not _swapped(rasa, written_swapped, typo=False)


def test_one_name_equal_to_the_others_other_name_is_not_a_swap():
    # Matas Ignys and Ignas Kosys: Ignys and Ignas share a stem, the other names differ.
    matas = _standard("Matas", "Ignys")
    ignas = _standard("Ignas", "Kosys")
    assert matas.family_stem == ignas.family_stem_if_swapped
    assert not _swapped(matas, ignas) and not _swapped(ignas, matas)
    # Kristine Dimabagsikan and Dimabagsikan Evangeline: two people of one family.
    assert not _swapped(
        _standard("Kristine", "Dimabagsikan"), _standard("Dimabagsikan", "Evangeline")
    )


def test_the_same_names_in_the_same_places_are_not_a_swap():
    assert not _swapped(_standard("Rasa", "Petrauskaitė"), _standard("Rasa", "Petrauskaitė"))
