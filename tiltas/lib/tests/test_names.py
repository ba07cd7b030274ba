import pytest

from tiltas.lib.names import name_skeleton, name_tokens, normalise_document_number, to_ascii

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    "spellings",
    [
        ("Šiaulienė", "Siauliene", "ŠIAULIENĖ", "Шяулене"),
        ("Žukauskaitė", "Zukauskaite", "Zhukauskaite", "Жукаускайте"),
        ("Ševčenko", "Shevchenko", "Шевченко", "Sevcenko"),
        ("Юлія", "Yuliia", "Julija", "Jūlija", "Юлия"),
        ("Дмитрий", "Dmitriy", "Dmitrij"),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings):
    assert len({name_skeleton(spelling) for spelling in spellings}) == 1


def test_different_names_keep_different_keys():
    assert name_skeleton("Petraitis") != name_skeleton("Petrauskas")
    assert name_skeleton("Ana") != name_skeleton("Ona")


def test_tokens_are_whole_words_without_duplicates():
    assert name_tokens("Anna-Marija", "Jonaitė Jonaitė") == ["ana", "mara", "ionaite"]


def test_document_numbers_ignore_spacing_and_case():
    assert normalise_document_number("lt 12-345 678") == "LT12345678"
    assert to_ascii("Ąžuolas") == "azuolas"
