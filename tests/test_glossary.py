"""One Chinese word per concept (GLOSSARY.md): each concept's term is used, its banned variants are not.

Read from the compiled catalogues the site loads (tests/test_catalogues.py), so a word that another
catalogue wins with counts too: the 您 and e-mail rules look at what a page finally shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.test_catalogues import ROOT, loaded_catalogues


@dataclass(frozen=True)
class Rule:
    english: str
    chinese: str
    msgid: str  # a regex on the English msgid, case-insensitive
    context: str | None = None  # the msgctxt the entries carry (None: any or none)
    banned_here: tuple[str, ...] = ()  # regexes not allowed in the matching entries' Chinese
    banned_everywhere: tuple[str, ...] = ()  # regexes not allowed in any translation of ours


RULES = [
    Rule("study visit", "走访学习", r"\bstudy[- ]visits?\b", banned_everywhere=("参访",)),
    Rule("expansion funding", "拓点经费", r"\bexpansion funding\b", banned_everywhere=("扩点",)),
    Rule("coaching", "个人教练", r"\bcoaching\b", banned_everywhere=("教练辅导", "辅导次数")),
    Rule("action item", "跟进事项", r"\baction items?\b", banned_everywhere=("待办事项",)),
    Rule("a person's name", "姓名", r"^(full )?name$", context="person", banned_here=("名称", "名字")),
    Rule(
        "e-mail (address)",
        "电子邮箱",
        r"^(e-?mail|email)( address)?$",
        banned_here=("Email", "邮件"),
        banned_everywhere=("(?<!电子)邮箱",),
    ),
    Rule("attendance", "出席", r"^attendance$", banned_here=("出席人数",), banned_everywhere=("出勤",)),
    Rule("open (action item status)", "未完成", r"^open$", context="meetings", banned_here=("打开",)),
    Rule("planned (meeting status)", "已计划", r"^planned$", context="meetings", banned_here=("筹备中",)),
    Rule("invited (calendar badge)", "已受邀", r"^invited$", context="meetings", banned_here=("邀请人数",)),
    Rule("cancel meeting", "取消会议", r"^cancel meeting$", context="meetings"),
    Rule("holiday name", "名称", r"^name$", context="meetings", banned_here=("任务名",)),
    # A notification is whatever the site sends a person; a reminder is one kind of it (something is
    # due). The settings page chooses among every kind, decisions included.
    Rule(
        "notification settings",
        "通知设置",
        r"\b(reminder|notification) settings\b",
        banned_everywhere=("提醒设置", "提醒类型"),
    ),
]


def split(key) -> tuple[str | None, str]:
    msgid = key[0] if isinstance(key, tuple) else key
    context, _, msgid = msgid.rpartition("\x04")
    return context or None, msgid


def ours() -> list[tuple[str, dict]]:
    return [(name, catalogue) for name, kind, catalogue in loaded_catalogues() if kind != "third-party"]


def effective() -> dict:
    """What a page shows: Django merges the catalogues, later ones winning (lowest priority first)."""
    merged = {}
    for _name, _kind, catalogue in loaded_catalogues():
        merged.update(catalogue)
    return merged


def rule_problems(rule: Rule, catalogues: list[tuple[str, dict]]) -> list[str]:
    problems, matched = [], 0
    for name, catalogue in catalogues:
        for key, text in catalogue.items():
            context, msgid = split(key)
            for pattern in rule.banned_everywhere:
                if msgid and re.search(pattern, text):
                    problems.append(f"{name}: {msgid!r} says {text!r}, not {rule.chinese} ({rule.english})")
            if not msgid or not re.search(rule.msgid, msgid, re.IGNORECASE):
                continue
            if rule.context is not None and context != rule.context:
                continue
            matched += 1
            if rule.chinese not in text:
                problems.append(f"{name}: {msgid!r} says {text!r}, without {rule.chinese} ({rule.english})")
            for pattern in rule.banned_here:
                if re.search(pattern, text):
                    problems.append(f"{name}: {msgid!r} says {text!r} ({rule.english} is {rule.chinese})")
    if not matched:
        problems.append(f"no msgid of ours for {rule.english!r}: the rule checks nothing")
    return problems


@pytest.mark.parametrize("rule", RULES, ids=[rule.english for rule in RULES])
def test_each_concept_has_its_one_chinese_word_in_every_catalogue_of_ours(rule):
    problems = rule_problems(rule, ours())
    assert not problems, "\n".join(problems)


def test_pages_say_nin_never_ni_whichever_catalogue_wins():
    """Django's and allauth's 你 (admin, password validators) are overridden in the project catalogue."""
    shown = effective()
    problems = [f"{split(key)[1]!r}: {text}" for key, text in shown.items() if split(key)[1] and "你" in text]
    assert not problems, "\n".join(problems)


def test_an_e_mail_address_is_dianzi_youxiang_whichever_catalogue_wins():
    shown = effective()
    labels = {
        key: text
        for key, text in shown.items()
        if re.fullmatch(r"(e-?mail|email)( address)?", split(key)[1], re.I)
    }
    assert {split(key)[1] for key in labels} >= {"Email", "e-mail", "E-mail", "email address"}, labels
    assert set(labels.values()) == {"电子邮箱"}, labels
    assert shown["Enter a valid email address."] == "请输入有效的电子邮箱，例如 name@example.org。"
    assert (
        shown["The email address and/or password you specified are not correct."]
        == "电子邮箱或密码不正确，请重新输入。"
    )


def test_the_rules_find_a_wrong_word_a_missing_word_and_a_rule_that_matches_nothing():
    planted = [
        (
            "meetings",
            {"meetings\x04Planned": "筹备中", "Study visits": "参访交流", "Action items": "跟进事项"},
        ),
        ("hubsite", {"person\x04name": "名称"}),
    ]
    by_name = {rule.english: rule for rule in RULES}
    assert rule_problems(by_name["planned (meeting status)"], planted) == [
        "meetings: 'Planned' says '筹备中', without 已计划 (planned (meeting status))",
        "meetings: 'Planned' says '筹备中' (planned (meeting status) is 已计划)",
    ]
    assert rule_problems(by_name["study visit"], planted) == [
        "meetings: 'Study visits' says '参访交流', not 走访学习 (study visit)",
        "meetings: 'Study visits' says '参访交流', without 走访学习 (study visit)",
    ]
    assert rule_problems(by_name["action item"], planted) == []
    assert rule_problems(by_name["a person's name"], planted) == [
        "hubsite: 'name' says '名称', without 姓名 (a person's name)",
        "hubsite: 'name' says '名称' (a person's name is 姓名)",
    ]
    assert rule_problems(by_name["coaching"], planted) == [
        "no msgid of ours for 'coaching': the rule checks nothing"
    ]


def test_the_glossary_file_lists_every_tested_rule():
    text = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    rows = {
        cells[0]: cells[1]
        for line in text.splitlines()
        if line.startswith("| ") and "**tested**" in line
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert rows == {rule.english: rule.chinese for rule in RULES} | {"you (polite)": "您"}
