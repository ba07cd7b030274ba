"""The Lithuanian catalogue is complete, not fuzzy, compiled and covers every string in the code."""

from __future__ import annotations

import gettext
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

PROJECT_ROOT = Path(__file__).resolve().parents[3]
LOCALE_DIR = PROJECT_ROOT / "tiltas" / "locale"
LT_PO = LOCALE_DIR / "lt" / "LC_MESSAGES" / "django.po"
LT_MO = LOCALE_DIR / "lt" / "LC_MESSAGES" / "django.mo"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    # PO strings use the C escapes \" \\ \n \t, all of which JSON reads the same way.
    result: str = json.loads(text)
    return result


def read_po(path: Path) -> list[Entry]:
    """A minimal reader of the PO format (enough for Django's catalogues)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal current, target
        if current.msgid or current.msgstr:
            entries.append(current)
        current, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            target = ("msgstr", int(plural.group(1)))
            current.msgstr[target[1]] = _unquote(rest)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
            current.msgstr[0] = _unquote(rest)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            if keyword == "msgid" and (current.msgid or current.msgstr):
                flush()
            target = (keyword, 0)
            setattr(current, keyword, _unquote(rest))
    flush()
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def test_every_lithuanian_message_is_translated_and_none_is_fuzzy():
    entries = read_po(LT_PO)
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_lithuanian_plurals_have_all_four_forms():
    for entry in read_po(LT_PO):
        if entry.msgid_plural:
            assert sorted(entry.msgstr) == [0, 1, 2, 3], entry.msgid


def test_translations_keep_every_placeholder():
    for entry in read_po(LT_PO):
        wanted = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        for translation in entry.msgstr.values():
            assert _placeholders(translation) <= wanted, entry.msgid
            if not entry.msgid_plural:
                assert _placeholders(translation) == wanted, entry.msgid


def test_compiled_catalogue_matches_the_po_file():
    with LT_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in read_po(LT_PO):
        if entry.msgid_plural:
            for count, index in ((1, 0), (3, 1), (10, 3)):
                translated = compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                assert translated == entry.msgstr[index], "run `tiltas compilemessages`"
        elif entry.msgctxt is not None:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr[0]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], (
                f"{entry.msgid!r}: run `tiltas compilemessages`"
            )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_string_in_the_code_is_in_the_lithuanian_catalogue(tmp_path, monkeypatch):
    # makemessages extracts from the working directory into LOCALE_PATHS: run it on a copy so
    # the repository's catalogue stays untouched.
    source = tmp_path / "tiltas"
    shutil.copytree(
        PROJECT_ROOT / "tiltas",
        source,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "tests"),
    )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["lt"], verbosity=0, no_obsolete=True)
    extracted = read_po(source / "locale" / "lt" / "LC_MESSAGES" / "django.po")
    missing = [
        entry.msgid
        for entry in extracted
        if not entry.msgstr or not all(entry.msgstr.values()) or "fuzzy" in entry.flags
    ]
    assert missing == [], (
        "untranslated strings: run `tiltas makemessages -l lt --ignore=.venv`, translate, "
        "then `tiltas compilemessages`"
    )
