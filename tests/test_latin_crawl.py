"""Crawl: every page each role may open, in Chinese, shows no English words (names, codes and units
such as PDF are allowed) and no select whose empty choice is Django's "---------"."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import _clear_run_cache
from tests.test_access_matrix import CASES, MODULES

ROLES = ("anonymous", "hub_admin", "director", "partner", "viewer")
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "Excel",
    "EN",
    "WPS",
    "QR",
    "ID",
    "URL",
    "ics",
    "iCal",
    "webcal",
    "WeCom",
    "Markdown",
    "XLS",
    "UTF",
    "BOM",
    "GBK",
    "Word",
    "PNG",
    "JPG",
    "JPEG",
    "HEIC",
    "MB",
    "KB",
    "Chrome",
    "Webhook",  # WeCom's own word for the group robot's address (企业微信 shows "Webhook地址")
    # The access matrix's data, not interface: a notification's subject ("access test") and an export
    # job's title ("Monthly figures 2024", which the view writes in the asker's language).
    "access",
    "test",
    "Monthly",
    "figures",
}
# Django's admin is for the hub admin and keeps Django's words.
SKIPPED_NAMESPACES = ("admin:",)
# Pages other helpers were still writing when this test came (issue #14's session); their English is
# listed so the rest of the crawl guards every other page. A pending page that is clean fails the test
# until it is taken off this list.
PENDING: dict[str, str] = {}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{1,}")


class VisibleText(HTMLParser):
    """The text a reader sees, without scripts, code and elements marked as English (lang="en")."""

    SKIP = {"script", "style", "code", "pre", "textarea", "svg", "title"}

    def __init__(self):
        super().__init__()
        self.skip: list[str] = []  # the tags whose content is being skipped, innermost last
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if (
            self.skip
            and tag == self.skip[-1]
            or tag in self.SKIP
            or (dict(attrs).get("lang") or "").startswith("en")
        ):
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def latin_words(html: str, allowed: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    # Addresses, paths and codes (child_visits, YYYY-MM) are not words of the interface.
    text = re.sub(
        r"\S+@\S+|https?://\S+|/\S+|\w*_\w*|[\w.-]+\.(?:csv|xlsx|pdf|ics|zip)\b|\bY{2,4}-M{1,2}(-D{1,2})?\b",
        " ",
        text,
    )
    return {w for w in WORD.findall(text) if w not in allowed and w.upper() not in allowed}


@pytest.fixture
def world(personas, hub_org, org_a, org_b, centre_a, centre_b):
    from types import SimpleNamespace

    world = SimpleNamespace(
        personas=personas,
        hub_org=hub_org,
        org_a=org_a,
        org_b=org_b,
        centre_a=centre_a,
        centre_b=centre_b,
        **personas,
    )
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def test_no_page_shows_english_words_in_the_chinese_interface(world, client_for):
    from reports.models import Indicator

    names = {str(getattr(p, "full_name", "")) for p in world.personas.values()}
    codes = set(Indicator.objects.values_list("code", flat=True))  # data, shown beside the labels
    allowed = ALLOWED | codes | {w for n in names for w in WORD.findall(n)}
    found = {}
    for case in CASES:
        if case.method != "get" or case.name.startswith(SKIPPED_NAMESPACES):
            continue
        for role in ROLES:
            if case.expected[role] != 200:
                continue
            with transaction.atomic():
                url = reverse(case.name, kwargs=case.resolve_kwargs(world))
                if case.query:
                    url = f"{url}?{case.query}"
                response = client_for(world.personas[role]).get(url)
                transaction.set_rollback(True)
            _clear_run_cache()
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            words = latin_words(html, allowed) | (
                {"---------"} & {html[i : i + 9] for i in [html.find("---------")]}
            )
            if words:
                found.setdefault(case.name, set()).update(words)
    clean_pending = sorted(name for name in PENDING if name not in found)
    found = {name: words for name, words in found.items() if name not in PENDING}
    assert not found, "\n".join(f"{name}: {sorted(words)}" for name, words in sorted(found.items()))
    assert not clean_pending, f"take these off PENDING, they are in Chinese now: {clean_pending}"


def test_the_crawl_sees_english_in_the_interface_but_not_in_codes_scripts_or_english_labels():
    html = (
        "<html><body><h1>周报 Weekly report</h1><script>var x = 'hidden';</script>"
        '<table><tr><td>child_visits</td><td lang="en">Child <b>visits</b></td><td>导出 PDF</td></tr></table>'
        "<p>格式 YYYY-MM，例如 staff@example.org</p></body></html>"
    )
    assert latin_words(html, ALLOWED) == {"Weekly", "report"}
