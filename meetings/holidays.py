"""Reading the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知).

``chinese_calendar`` learns a year some time after the notice is published, and the hub plans the
next year's meetings in November: staff paste the notice's text, see the days it gives, and save
them as ``HolidayOverride`` rows (``actions.do_save_holiday_days``).

The notice lists one numbered item per holiday, for example::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

Everything around the numbered items (title, greeting, closing remarks, a web page's navigation)
is ignored. An item that cannot be read, whose weekdays do not match the year or whose day count
disagrees with its dates is reported by its number and name; nothing is returned for a notice with
any such item, so a half-read notice is never saved.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext as _

from .choices import DayKind

CHINESE_DIGITS = "〇一二三四五六七八九十"
EXAMPLE = "1月1日（周四）至3日（周六）放假，共3天"
NUMBERS = "一、二、三、…"
WEEKDAYS = "一二三四五六日"  # 周一 .. 周日 (周天 is read as 周日)

ITEM_START = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*、\s*(.*)$")
YEAR_IN_TITLE = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")
YEAR_IN_OPENING = re.compile(r"现将\s*(\d{4})\s*年")
# One date of the notice: an optional year, month and day, and the bracket with the weekday (and
# for the Spring Festival the lunar date): 2月15日（农历腊月二十八、周日）.
DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:（(?P<{p}b>[^）]*)）)?"
DAYS_OFF = re.compile(
    DATE.format(p="a").replace(r"(?:(?P<am>\d{1,2})月)?", r"(?P<am>\d{1,2})月")
    + r"(?:至"
    + DATE.format(p="z")
    + r")?放假(?:调休)?[，,]?(?:共(?P<count>\d+)天|(?P<count1>\d+)天)"
)
MAKE_UP_DATE = re.compile(DATE.format(p="w"))
MAKE_UP = re.compile(r"((?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:（[^）]*）)?[、，,]?)+)上班")
MAKE_UP_LINE = re.compile(r"^\s*(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:（[^）]*）)?[、，,]?)+上班")


@dataclass(frozen=True)
class NoticeDay:
    """One day the notice names: a day off (holiday) or a weekend made a working day (workday)."""

    date: datetime.date
    kind: str
    name: str

    @property
    def is_holiday(self) -> bool:
        return self.kind == DayKind.HOLIDAY


@dataclass
class Notice:
    """What a notice says: its year and its days, in date order."""

    year: int
    days: list[NoticeDay] = field(default_factory=list)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [day for day in self.days if day.is_holiday]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [day for day in self.days if not day.is_holiday]


def chinese_number(text: str) -> int:
    """一 .. 九十九 (the notice numbers at most seven items)."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return (CHINESE_DIGITS.index(tens) if tens else 1) * 10 + (CHINESE_DIGITS.index(ones) if ones else 0)
    return CHINESE_DIGITS.index(text)


def notice_year(text: str) -> int | None:
    """The year named in the notice's title or opening sentence, if the paste includes either."""
    match = YEAR_IN_TITLE.search(text) or YEAR_IN_OPENING.search(text)
    return int(match.group(1)) if match else None


def numbered_items(text: str) -> list[tuple[str, str]]:
    """(number, text) of each numbered item; a line that continues an unfinished item (a paste that
    wrapped, or the make-up days on their own line) is joined to it, any other line ends it."""
    items: list[list[str]] = []
    open_item = False
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", "")
        if not line:
            continue
        start = ITEM_START.match(line)
        if start:
            items.append([start.group(1), start.group(2)])
            open_item = True
        elif items and (open_item or MAKE_UP_LINE.match(line)):
            items[-1][1] += line
        else:
            open_item = False
            continue
        open_item = not _finished(items[-1][1])
    return [(number, re.sub(r"\s+", "", body)) for number, body in items]


def _finished(body: str) -> bool:
    """An item is finished once it has said how many days and the sentence ended (its make-up days
    may still follow on the next line: ``MAKE_UP_LINE`` takes those)."""
    return body.endswith("。") and re.search(r"天", body) is not None


class ItemError(Exception):
    """The reason one item could not be read (the caller names the item)."""


def _resolve(match, prefix: str, year: int, month_before: int | None) -> datetime.date:
    year_text, month_text, day_text = (match.group(f"{prefix}{part}") for part in "ymd")
    month = int(month_text) if month_text else month_before
    if month is None:
        raise ItemError(_("a date has no month"))
    try:
        day = datetime.date(int(year_text) if year_text else year, month, int(day_text))
    except ValueError:
        raise ItemError(_("%(written)s is not a date") % {"written": match.group(0)}) from None
    _check_weekday(day, match.group(f"{prefix}b"))
    return day


def _check_weekday(day: datetime.date, bracket: str | None) -> None:
    """The weekday in the bracket must be the date's: a notice pasted under the wrong year fails here."""
    found = re.search(r"(?:周|星期)([一二三四五六日天])", bracket or "")
    if not found:
        return
    written = WEEKDAYS.index(found.group(1).replace("天", "日"))
    if written != day.weekday():
        raise ItemError(
            _("%(date)s is a %(weekday)s, not %(written)s (is it the notice of another year?)")
            % {"date": day.isoformat(), "weekday": dateformat.format(day, "l"), "written": found.group(0)}
        )


def parse_item(name_and_dates: str, year: int) -> list[NoticeDay]:
    """The days of one item (its text after the number), or ``ItemError``."""
    name, colon, body = name_and_dates.partition("：")
    if not colon or not name or len(name) > 20:
        raise ItemError(
            _("the holiday's name must be followed by a full-width colon (%(colon)s)") % {"colon": "："}
        )
    off = DAYS_OFF.search(body)
    if not off and re.search(r"日(?:（[^）]*）)?\d{1,2}(?:月\d{1,2})?日", body):
        raise ItemError(_("two dates follow each other without “%(to)s” between them") % {"to": "至"})
    if not off:
        raise ItemError(
            _("its days off could not be found (they read like “%(example)s”)") % {"example": EXAMPLE}
        )
    first = _resolve(off, "a", year, None)
    last = _resolve(off, "z", year, first.month) if off.group("zd") else first
    if last < first:
        raise ItemError(_("the last day off comes before the first"))
    days_off = (last - first).days + 1
    count = int(off.group("count") or off.group("count1"))
    if count != days_off:
        raise ItemError(
            _("it says %(count)s days off but its dates give %(days)s (is “%(to)s” missing?)")
            % {"count": count, "days": days_off, "to": "至"}
        )
    days = [
        NoticeDay(first + datetime.timedelta(days=offset), DayKind.HOLIDAY, name)
        for offset in range(days_off)
    ]
    rest = body[off.end() :]
    for sentence in MAKE_UP.findall(rest):
        for workday in MAKE_UP_DATE.finditer(sentence):
            day = _resolve(workday, "w", year, None)
            if day.weekday() < 5:
                raise ItemError(
                    _("the make-up working day %(date)s is not a weekend day") % {"date": day.isoformat()}
                )
            days.append(NoticeDay(day, DayKind.WORKDAY, name))
    return days


def parse_notice(text: str, year: int | None = None) -> Notice:
    """The days of the notice pasted as ``text``; ``year`` when the paste lacks the title.

    Raises ``ValidationError`` listing every item that could not be read.
    """
    year = notice_year(text) or year
    if year is None:
        raise ValidationError(
            _("The notice's year could not be found: paste its title too, or enter the year."), code="year"
        )
    items = numbered_items(text)
    if not items:
        raise ValidationError(
            _("No numbered items (%(numbers)s) were found: paste the notice's text.") % {"numbers": NUMBERS},
            code="no_items",
        )
    errors, days = [], {}
    for number, body in items:
        label = re.split(r"[：:]", body, maxsplit=1)[0][:12]
        try:
            for day in parse_item(body, year):
                if day.date in days and days[day.date] != day:
                    raise ItemError(_("%(date)s is also in another item") % {"date": day.date.isoformat()})
                days[day.date] = day
        except ItemError as error:
            errors.append(
                ValidationError(
                    _("Item %(number)s (%(label)s) could not be read: %(reason)s.")
                    % {"number": number, "label": label, "reason": error},
                    code="item",
                )
            )
    numbers = [chinese_number(number) for number, _body in items]
    if not errors and numbers != list(range(1, len(numbers) + 1)):
        errors.append(
            ValidationError(
                _("The items are not numbered %(numbers)s in order: is one missing or pasted twice?")
                % {"numbers": NUMBERS},
                code="numbering",
            )
        )
    if errors:
        raise ValidationError(errors)
    return Notice(year=year, days=sorted(days.values(), key=lambda day: day.date))


def day_range(first: datetime.date, last: datetime.date, kind: str, name: str) -> list[NoticeDay]:
    """The days from ``first`` to ``last`` (inclusive) entered by hand as one kind."""
    return [
        NoticeDay(first + datetime.timedelta(days=offset), kind, name)
        for offset in range((last - first).days + 1)
    ]
