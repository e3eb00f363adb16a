"""Template helpers for the generated regional reports, and the meeting page's report-pack include."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def num(value):
    """Thousands separators; whole numbers without decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def change(figure):
    """The change from the previous period as a signed percentage (or the new value when it was 0)."""
    if figure is None:
        return ""
    pct = figure.change_pct
    if pct is None:
        return "" if not figure.current else _("new")
    return f"{pct:+.1f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("reports/regional/_meeting_pack.html", takes_context=True)
def meeting_report_pack(context, meeting):
    """The report pack attached to a meeting (one query), shown to those who may download it."""
    from reports.models import GeneratedReport

    user = context["request"].user
    report = (
        GeneratedReport.objects.for_user(user)
        .filter(meeting_packs__meeting=meeting)
        .select_related("prefecture", "organisation")
        .first()
    )
    # The failed pack's "generate again" form needs the user and the CSRF token.
    return {"report": report, "user": user, "csrf_token": context.get("csrf_token")}
