"""Every msgid of ours is translated, and none is fuzzy: an untranslated msgid falls through to
whatever another loaded catalogue says for the same English, or to English on a Chinese page."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_Hans"


# A .po entry: comments (references, flags), optional msgctxt, msgid, msgstr (plural forms as msgstr[n]).
ENTRY = re.compile(
    r'(?P<comments>(?:^#[^\n]*\n)*)(?:^msgctxt (?P<ctx>"(?:[^\n]*)"\n(?:"[^\n]*"\n)*))?'
    r'^msgid (?P<id>"[^\n]*"\n(?:"[^\n]*"\n)*)(?:^msgid_plural [^\n]*\n(?:"[^\n]*"\n)*)?'
    r"(?P<str>(?:^msgstr(?:\[\d\])? \"[^\n]*\"\n(?:\"[^\n]*\"\n)*)+)",
    re.MULTILINE,
)


def joined(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block or ""))


def our_po_files() -> list[Path]:
    return sorted(ROOT.glob(f"*/locale/{LANGUAGE}/LC_MESSAGES/django.po"))


def problems_in(text: str, name: str) -> list[str]:
    problems = []
    for entry in ENTRY.finditer(text + "\n"):
        msgid = joined(entry["id"])
        if not msgid:
            continue  # the header
        if re.search(r"^#,.*\bfuzzy\b", entry["comments"], re.MULTILINE):
            problems.append(f"{name}: fuzzy {msgid!r}")
        translations = re.findall(r'msgstr(?:\[\d\])? ((?:"[^\n]*"\n)+)', entry["str"])
        if any(not joined(t) for t in translations):
            problems.append(f"{name}: untranslated {msgid!r}")
    return problems


def test_every_msgid_of_ours_is_translated_and_none_is_fuzzy():
    files = our_po_files()
    assert len(files) >= 7, files
    problems = [
        p for po in files for p in problems_in(po.read_text(encoding="utf-8"), str(po.relative_to(ROOT)))
    ]
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_fuzzy_and_an_untranslated_entry():
    planted = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: views.py:1\n#, fuzzy, python-format\nmsgid "Saved %(n)s"\nmsgstr "已保存 %(n)s"\n\n'
        '#: views.py:2\nmsgctxt "meetings"\nmsgid "Present"\nmsgstr ""\n\n'
        '#: views.py:3\nmsgid "Long"\nmsgstr ""\n"很长"\n'
    )
    assert problems_in(planted, "x.po") == ["x.po: fuzzy 'Saved %(n)s'", "x.po: untranslated 'Present'"]
