"""Titles the planner writes (2027年03月 月度小议题会议) read in the reader's language.

A generated title is stored once, in the language the planner ran in; a person reading in English
should see "2027-03 monthly topic meeting". A stored title that matches one of the planner's patterns
in any of the site's languages is written again in the active language; a title a person typed stays
as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .choices import MeetingKind

TEMPLATES = {
    MeetingKind.MONTHLY_TOPIC: gettext_noop("%(year)s-%(month)02d monthly topic meeting"),
    MeetingKind.QUARTERLY_DIRECTORS: gettext_noop("%(year)s Q%(n)s directors' meeting"),
    MeetingKind.HALF_YEAR_REGIONAL: gettext_noop("%(year)s H%(n)s regional meeting"),
    MeetingKind.SUPERVISION: gettext_noop("%(year)s supervision %(n)s: %(org)s"),
}
_FIELDS = {
    "%(year)s": r"(?P<year>\d{4})",
    "%(month)02d": r"(?P<month>\d{1,2})",
    "%(n)s": r"(?P<n>\d{1,2})",
    "%(org)s": r"(?P<org>.+)",
}
_FIELD = re.compile("|".join(re.escape(field) for field in _FIELDS))


def generated_title(kind: str, **values) -> str:
    """The planner's title for a meeting of ``kind`` in the active language."""
    values.setdefault("month", 0)
    values.setdefault("n", 0)
    values.setdefault("org", "")
    return _(TEMPLATES[kind]) % values


def _pattern(text: str) -> re.Pattern:
    parts, last = [], 0
    for match in _FIELD.finditer(text):
        parts.append(re.escape(text[last : match.start()]))
        parts.append(_FIELDS[match.group()])
        last = match.end()
    parts.append(re.escape(text[last:]))
    return re.compile("^" + "".join(parts) + "$")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each template in each language of the site, as a pattern that reads its values back."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for kind, template in TEMPLATES.items():
                found.append((kind, _pattern(_(template))))
    return found


def localized(title: str, kind: str | None = None) -> str:
    """``title`` in the active language when the planner wrote it, else as it is."""
    if not title:
        return title
    for pattern_kind, pattern in _patterns():
        if kind is not None and pattern_kind != kind:
            continue
        match = pattern.match(title)
        if match:
            values = dict(match.groupdict())
            for number in ("year", "month", "n"):
                if number in values:
                    values[number] = int(values[number])
            return generated_title(pattern_kind, **values)
    return title
