"""Latin renderings of Ukrainian and Russian names, as different agencies really write them.

Each system follows its published table; a system that is defined for one language only is not
applied to the other (the caller falls back to the passport system of that language):

- `ukrainian_national`: Ukrainian national system (Cabinet of Ministers resolution No. 55 of
  27 January 2010), used in Ukrainian passports since 2010: Юлія -> Yuliia, Сергій -> Serhii.
- `icao`: ICAO Doc 9303 (7th edition, 2015), part 3, used in Russian passports: Юлия -> Iuliia.
- `bgn_pcgn`: BGN/PCGN 1947 romanisation of Russian (maps, English-language press):
  Наталья -> Natal’ya, Пётр -> Pëtr.
- `iso9`: ISO 9:1995, one Latin letter per Cyrillic letter: Щербаков -> Ŝerbakov.
- `lithuanian`: the Lithuanian rendering of Russian and Ukrainian names (State Commission of the
  Lithuanian Language rules, without the grammatical endings): Юлия -> Julija, Шевчук -> Ševčuk.
- `german`: the German newspaper (Duden) transcription, simplified: Жуков -> Schukow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

UKRAINIAN = "uk"
RUSSIAN = "ru"


class System(StrEnum):
    UKRAINIAN_NATIONAL = "ukrainian_national"
    ICAO = "icao"
    BGN_PCGN = "bgn_pcgn"
    ISO9 = "iso9"
    LITHUANIAN = "lithuanian"
    GERMAN = "german"


# What a passport of that language uses: the fallback when an agency's usual system does not apply.
PASSPORT_SYSTEM = {UKRAINIAN: System.UKRAINIAN_NATIONAL, RUSSIAN: System.ICAO}
SYSTEM_LANGUAGES: dict[System, frozenset[str]] = {
    System.UKRAINIAN_NATIONAL: frozenset({UKRAINIAN}),
    System.BGN_PCGN: frozenset({RUSSIAN}),
    System.ICAO: frozenset({UKRAINIAN, RUSSIAN}),
    System.ISO9: frozenset({UKRAINIAN, RUSSIAN}),
    System.LITHUANIAN: frozenset({UKRAINIAN, RUSSIAN}),
    System.GERMAN: frozenset({UKRAINIAN, RUSSIAN}),
}

VOWELS = frozenset("аеёєиіїоуыэюя")
SIGNS = frozenset("ьъ'’ʼ")
APOSTROPHES = frozenset("'’ʼ")

# Letters every system below writes alike.
_COMMON = {
    "а": "a", "б": "b", "д": "d", "з": "z", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
}  # fmt: skip

_UKRAINIAN_NATIONAL = {
    **_COMMON,
    "в": "v", "г": "h", "ґ": "g", "е": "e", "ж": "zh", "и": "y", "і": "i", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
# Letters written differently at the start of a word (national system, note to the table).
_UKRAINIAN_NATIONAL_INITIAL = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"),
                               "ю": ("yu", "iu"), "я": ("ya", "ia")}  # fmt: skip

_ICAO = {
    **_COMMON,
    "в": "v", "г": "g", "ґ": "g", "е": "e", "ё": "e", "є": "ie", "ж": "zh", "и": "i", "і": "i",
    "ї": "i", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie",
    "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
# Doc 9303 writes Ukrainian Г as H and Ukrainian И as Y.
_ICAO_UKRAINIAN = {**_ICAO, "г": "h", "и": "y"}

_BGN_PCGN = {
    **_COMMON,
    "в": "v", "г": "g", "ж": "zh", "и": "i", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "”", "ы": "y", "ь": "’", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

_ISO9 = {
    **_COMMON,
    "в": "v", "г": "g", "ґ": "g\u0300", "е": "e", "ё": "ë", "є": "ê", "ж": "ž", "и": "i",
    "і": "ì", "ї": "ï", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ",
    "ы": "y", "ь": "ʹ", "э": "è", "ю": "û", "я": "â", "'": "’", "’": "’", "ʼ": "’",
}  # fmt: skip

_LITHUANIAN = {
    **_COMMON,
    "в": "v", "г": "g", "ґ": "g", "ж": "ž", "и": "i", "і": "i", "й": "j", "х": "ch", "ц": "c",
    "ч": "č", "ш": "š", "щ": "šč", "ы": "y", "э": "e",
}  # fmt: skip

_GERMAN = {
    **_COMMON,
    "в": "w", "г": "g", "ґ": "g", "ж": "sch", "з": "s", "и": "i", "і": "i", "й": "j", "х": "ch",
    "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
}  # fmt: skip


def _after_vowel_or_sign(word: str, index: int) -> bool:
    """Whether a letter stands where iotated vowels are written with a y/j glide."""
    return index == 0 or word[index - 1] in VOWELS or word[index - 1] in SIGNS | {"й"}


def _ukrainian_national(word: str, language: str) -> str:
    out = []
    for index, char in enumerate(word):
        if char in _UKRAINIAN_NATIONAL_INITIAL:
            initial, elsewhere = _UKRAINIAN_NATIONAL_INITIAL[char]
            out.append(initial if index == 0 else elsewhere)
        elif char == "г" and index > 0 and word[index - 1] == "з":
            # "зг" is written "zgh" so that it is not read as "ж" (zh).
            out.append("gh")
        else:
            out.append(_UKRAINIAN_NATIONAL.get(char, char))
    return "".join(out)


def _icao(word: str, language: str) -> str:
    table = _ICAO_UKRAINIAN if language == UKRAINIAN else _ICAO
    return "".join(table.get(char, char) for char in word)


def _bgn_pcgn(word: str, language: str) -> str:
    out = []
    for index, char in enumerate(word):
        if char == "е":
            out.append("ye" if _after_vowel_or_sign(word, index) else "e")
        elif char == "ё":
            out.append("yë" if _after_vowel_or_sign(word, index) else "ë")
        else:
            out.append(_BGN_PCGN.get(char, char))
    return "".join(out)


def _iso9(word: str, language: str) -> str:
    return "".join(_ISO9.get(char, char) for char in word)


def _lithuanian(word: str, language: str) -> str:
    out = []
    for index, char in enumerate(word):
        glide = _after_vowel_or_sign(word, index)
        if char == "е":
            # Russian е is "je" where it starts a syllable; Ukrainian е is always "e".
            out.append("je" if language == RUSSIAN and glide else "e")
        elif char in "єяюё":
            vowel = {"є": "e", "я": "a", "ю": "u", "ё": "o"}[char]
            out.append(("j" if glide else "i") + vowel)
        elif char == "ї":
            out.append("ji")
        elif char == "г":
            out.append("h" if language == UKRAINIAN else "g")
        elif char == "и":
            if language == UKRAINIAN:
                out.append("y")
            else:
                # After a soft sign the vowel keeps its glide: Ильин -> Iljin.
                out.append("ji" if index > 0 and word[index - 1] in SIGNS else "i")
        elif char in SIGNS:
            # A soft sign or apostrophe is dropped; before a vowel the following "j" shows it.
            out.append("")
        else:
            out.append(_LITHUANIAN.get(char, char))
    return "".join(out)


def _german(word: str, language: str) -> str:
    out = []
    last = len(word) - 1
    for index, char in enumerate(word):
        glide = _after_vowel_or_sign(word, index)
        prev = word[index - 1] if index > 0 else ""
        nxt = word[index + 1] if index < last else ""
        if char == "е":
            out.append("je" if language == RUSSIAN and glide else "e")
        elif char == "є":
            out.append("je")
        elif char == "ё":
            # After ж, ч, ш, щ the ё is a plain "o" (Горбачёв -> Gorbatschow).
            out.append("o" if prev in "жчшщ" else "jo")
        elif char == "я":
            out.append("ja")
        elif char == "ю":
            out.append("ju")
        elif char == "ї":
            out.append("ji")
        elif char == "г":
            out.append("h" if language == UKRAINIAN else "g")
        elif char == "и":
            if language == UKRAINIAN:
                out.append("y")
            else:
                out.append("ji" if prev in SIGNS else "i")
        elif char == "й" and index == last and language == RUSSIAN and prev in "иы":
            # The Russian endings -ий and -ый are written -i and -y (Дмитрий -> Dmitri).
            out.append("")
        elif char == "к" and nxt == "с":
            out.append("x")
        elif char == "с" and prev == "к":
            out.append("")
        elif char == "с" and prev in VOWELS and nxt in VOWELS:
            # A single s between vowels would be voiced in German: Василий -> Wassili.
            out.append("ss")
        elif char in SIGNS:
            out.append("")
        else:
            out.append(_GERMAN.get(char, char))
    return "".join(out)


_SYSTEMS: dict[System, Callable[[str, str], str]] = {
    System.UKRAINIAN_NATIONAL: _ukrainian_national,
    System.ICAO: _icao,
    System.BGN_PCGN: _bgn_pcgn,
    System.ISO9: _iso9,
    System.LITHUANIAN: _lithuanian,
    System.GERMAN: _german,
}

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)


def applicable_system(system: System, language: str) -> System:
    """`system` if it is defined for `language`, otherwise that language's passport system."""
    if language in SYSTEM_LANGUAGES[system]:
        return system
    return PASSPORT_SYSTEM[language]


def transliterate(text: str, *, system: System, language: str) -> str:
    """`text` (Ukrainian or Russian Cyrillic) in Latin letters by `system`, keeping the case
    pattern of each word (Title, UPPER or lower) and every non-letter as it is."""
    if language not in (UKRAINIAN, RUSSIAN):
        raise ValueError(f"language: expected 'uk' or 'ru', got {language!r}")
    if language not in SYSTEM_LANGUAGES[system]:
        raise ValueError(f"system: {system} is not defined for {language!r}")
    convert = _SYSTEMS[system]

    def word(match: re.Match[str]) -> str:
        original = match.group(0)
        latin = convert(original.lower(), language)
        if original.isupper() and len(original) > 1:
            return latin.upper()
        if original[0].isupper():
            return latin[:1].upper() + latin[1:]
        return latin

    return _WORD.sub(word, text)
