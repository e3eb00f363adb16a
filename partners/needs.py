"""The network's needs, from the yearly questionnaires: what the hub reads, and the training
topics it proposes for the half-year regional meeting (``meetings`` shows them on its form)."""

from __future__ import annotations

from django.db.models import Avg, Count, Q

from .choices import COMMON_NEED_ORGANISATIONS, HIGH_NEED_SCORE
from .models import NeedsQuestion


def needs_summary(year: int) -> list[dict]:
    """Every question of the year with its average score, how many answered and how many rate the
    need high (one query, whatever the number of organisations)."""
    questions = (
        NeedsQuestion.objects.for_year(year)
        .annotate(
            average=Avg("answers__score", filter=Q(answers__assessment__year=year)),
            answered=Count("answers", filter=Q(answers__assessment__year=year)),
            high=Count(
                "answers", filter=Q(answers__assessment__year=year, answers__score__gte=HIGH_NEED_SCORE)
            ),
        )
        .order_by("order", "pk")
    )
    return [
        {
            "question": question,
            "area": question.get_area_display(),
            "topic": question.topic,
            "average": question.average,
            "answered": question.answered,
            "high": question.high,
        }
        for question in questions
    ]


def common_needs(year: int, summary: list[dict] | None = None) -> list[dict]:
    """Training topics needed by several organisations, the most shared first: the suggestions for
    the half-year regional meeting's agenda."""
    rows = needs_summary(year) if summary is None else summary
    common = [row for row in rows if row["high"] >= COMMON_NEED_ORGANISATIONS]
    common.sort(key=lambda row: (-row["high"], -(row["average"] or 0), row["question"].order))
    return common
