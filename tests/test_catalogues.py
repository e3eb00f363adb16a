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


# --- One English msgid, one Chinese word, whichever catalogue wins -------------------------------
#
# Django merges every catalogue it loads into one: its own, then each installed app's (an app earlier
# in INSTALLED_APPS wins, so allauth, django.contrib.* and django_celery_beat beat every app of ours),
# then LOCALE_PATHS (the project catalogue, which wins over all). A msgid without context that two
# catalogues translate differently shows the winner's word on the loser's page: 任务名 (celery-beat's
# "Name") as a holiday table header, 注意 (allauth's "Note") on a meeting form. Ours must agree with each
# other; a third-party word that differs is fine only when the project catalogue overrides it with
# the same word as ours (the override is then what every page shows).


def loaded_catalogues() -> list[tuple[str, str, dict]]:
    """(name, kind, catalogue) of every zh_Hans catalogue the site merges, lowest priority first.

    kind is "third-party", "app" (one of our apps) or "project" (LOCALE_PATHS)."""
    import gettext

    import django
    from django.apps import apps
    from django.conf import settings

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(config.path) / "locale" for config in reversed(list(apps.get_app_configs()))]
    project = [Path(p) for p in reversed(settings.LOCALE_PATHS)]
    found: dict[str, tuple[str, str, dict]] = {}
    for directory in dirs + project:
        mo = gettext.find("django", str(directory), [LANGUAGE])
        if not mo:
            continue
        parts = directory.parent.parts
        if "site-packages" in parts:
            kind, name = "third-party", ".".join(parts[parts.index("site-packages") + 1 :])
        else:
            kind = "project" if directory in project else "app"
            name = str(directory.parent.relative_to(ROOT))
        with open(mo, "rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog
        found.pop(mo, None)  # the project catalogue is also the hubsite app's: keep its winning place
        found[mo] = (name, kind, catalogue)
    return list(found.values())


def collisions(catalogues: list[tuple[str, str, dict]]) -> list[str]:
    """Pairs of catalogues (at least one ours) that translate a context-free msgid differently."""
    project = {}
    for _name, kind, catalogue in catalogues:
        if kind == "project":
            project = catalogue
    problems = []
    for i, (name_a, kind_a, cat_a) in enumerate(catalogues):
        for name_b, kind_b, cat_b in catalogues[i + 1 :]:
            if kind_a == kind_b == "third-party":
                continue
            for key in cat_a.keys() & cat_b.keys():
                msgid = key[0] if isinstance(key, tuple) else key
                if not msgid or "\x04" in msgid or cat_a[key] == cat_b[key]:
                    continue
                if "third-party" in (kind_a, kind_b):
                    ours = cat_b[key] if kind_a == "third-party" else cat_a[key]
                    if project.get(key) == ours:
                        continue  # the project catalogue overrides the third party with our word
                problems.append(f"{msgid!r}: {name_a} {cat_a[key]} / {name_b} {cat_b[key]}")
    return sorted(problems)


def test_no_msgid_without_context_has_two_translations_in_the_loaded_catalogues():
    catalogues = loaded_catalogues()
    kinds = [kind for _name, kind, _catalogue in catalogues]
    assert kinds.count("project") == 1 and kinds.count("app") >= 6 and kinds.count("third-party") >= 5, [
        (name, kind) for name, kind, _catalogue in catalogues
    ]
    problems = collisions(catalogues)
    assert not problems, (
        f"{len(problems)} collisions (give ours a context or make them agree):\n" + "\n".join(problems)
    )


def test_the_collision_check_tells_a_deliberate_override_from_a_lost_word():
    third = ("allauth", "third-party", {"Note": "注意", "Remove": "移除", "Add": "添加", "ctx\x04Note": "x"})
    beat = ("django_celery_beat", "third-party", {"Note": "笔记"})
    meetings = ("meetings", "app", {"Note": "备注", "Remove": "删除", "Add": "添加", ("Day", 0): "天"})
    training = ("training", "app", {"Remove": "删除", ("Day", 0): "日"})
    project = ("hubsite", "project", {"Remove": "删除"})
    assert collisions([third, beat, meetings, training, project]) == [
        "'Day': meetings 天 / training 日",
        "'Note': allauth 注意 / meetings 备注",
        "'Note': django_celery_beat 笔记 / meetings 备注",
    ]
