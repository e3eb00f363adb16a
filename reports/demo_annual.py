"""Demo annual report (``seed_demo``, after the programmes): last year's words for the region and for
the demo director's organisation, so the demo's annual report has a foreword, stories and thanks.

The region's text is what the hub would have done by hand: ``narrative.draft`` from the year's data,
then lightly edited (a foreword from the hub's director, thanks, funders, contact) and published.
Three stories come from partners' monthly highlights: two agreed by their organisations (one with a
photo whose parents' consent is recorded), one still waiting for the demo director's answer. The
demo director's organisation has its own text with a share link.

Fields are written directly, as the demo records what happened before today: no notices go out.
Idempotent: a text that exists for the year is left alone (with its stories), and the story's photo is
not attached twice.
"""

from __future__ import annotations

import datetime
import io
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from hubsite.core.attachments import policy_for
from hubsite.core.attachments.actions import do_add_attachment
from hubsite.core.models import Attachment, AttachmentKind
from hubsite.core.roles import Role
from partners.models import Organisation, User

from .choices import COUNTED_STATUSES
from .models import AnnualNarrative, AnnualStory, MonthlyReport
from .regional import narrative as drafting
from .regional import periods
from .regional.choices import PeriodKind

# The demo is Chinese whatever language the command runs in (commands deactivate translation).
LANGUAGE = "zh-hans"
PHOTO_NAME = "亲子运动会.jpg"

# Monthly highlights (reports/demo.py HIGHLIGHTS) -> the story the hub edited from them: a title and
# the sentences added to the partner's own words.
STORIES = {
    "开展了绘本共读月活动，新家庭参与积极。": (
        "绘本共读月，新家庭走进亲子园",
        "一个月里，老师和家长志愿者每天下午陪孩子们读绘本，不少第一次来的家庭从此成了常客。",
    ),
    "举办了亲子运动会，爷爷奶奶也来了。": (
        "三代同堂的亲子运动会",
        "爬行比赛、滚球接力、亲子拔河，爷爷奶奶和爸爸妈妈一起上场，孩子们玩得满头大汗，笑声传遍了整个社区。",
    ),
    "社区妈妈志愿者开始轮流值班。": (
        "妈妈志愿者轮流值班",
        "几位常来的妈妈自发排了值班表，帮忙接待新家庭、整理玩具和图书，让老师有更多时间陪伴孩子。",
    ),
    "与社区卫生服务中心合作开展了育儿讲座。": (
        "医生走进亲子园",
        "社区卫生服务中心的医生为家长讲解婴幼儿喂养和常见病护理，讲座结束后家长们还围着医生问了很久。",
    ),
    "老师参加了枢纽的观察记录培训，并在园内分享。": (
        "把培训带回园里",
        "老师回园后把观察记录的方法讲给同事和家长听，大家开始一起记下孩子每天的小进步。",
    ),
}

FUNDERS = "\n".join(
    [
        "心和基金会",
        "活力未来",
        "南宁市西乡塘区心圩街道办事处",
        "各亲子园所在社区的居委会",
        "爱心企业和个人捐赠人",
    ]
)


def seed(ctx: dict) -> None:
    """Last year's region text (published, three stories) and the demo director's organisation's
    text (shared by link). ``ctx["annual_texts"]`` counts the texts made by this run."""
    hub = User.objects.filter(email="hub@example.org").first()
    director = User.objects.filter(email="director@example.org").select_related("organisation").first()
    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    made = 0
    with translation.override(LANGUAGE), transaction.atomic():
        if hub is not None and _region_text(hub, start, director):
            made += 1
        if director is not None and director.organisation_id and _partner_text(director, start):
            made += 1
    ctx["annual_texts"] = made


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _published_at(start: datetime.date) -> datetime.datetime:
    """Early March after the year (funders ask for the report before spring), never in the future."""
    return min(_at(datetime.date(start.year + 1, 3, 6)), timezone.now() - datetime.timedelta(hours=2))


def _region_text(hub: User, start: datetime.date, director: User | None) -> AnnualNarrative | None:
    if AnnualNarrative.objects.filter(
        organisation__isnull=True, period_kind=PeriodKind.YEAR, period_start=start
    ).exists():
        return None
    text = drafting.draft(None, PeriodKind.YEAR, start)
    hub_org = hub.organisation or Organisation.objects.filter(is_hub=True).order_by("pk").first()
    hub_name = (hub_org.short_name or hub_org.name) if hub_org else ""
    partners = Organisation.objects.active().filter(is_hub=False).count()
    text["foreword"] = (
        "亲爱的朋友们：\n\n"
        f"{text['foreword']}\n\n"
        "这一年，我们最常听到家长说的一句话是：“孩子在这里交到了第一个朋友。”每一个亲子园背后，"
        "都有一群把社区当成家的老师、志愿者和家长。感谢大家一路同行，也期待更多伙伴和我们一起，"
        "让更多0-3岁的孩子在家门口就有一个安全、温暖的去处。\n\n"
        f"{hub_name}负责人 {hub.full_name}"
    )
    text["thanks"] = (
        f"衷心感谢心和基金会、活力未来和每一位捐赠人的信任与支持；感谢{partners}家伙伴机构的老师和"
        "志愿者日复一日的坚持；感谢社区居委会提供场地；更感谢每一个走进亲子园的家庭，让这里充满了"
        "笑声。"
    )
    text["funders"] = FUNDERS
    if hub_org and hub_org.address and hub_org.address not in text["contact"]:
        text["contact"] = "\n".join(filter(None, [text["contact"], f"地址：{hub_org.address}"]))
    published = _published_at(start)
    narrative = AnnualNarrative.objects.create(
        organisation=None,
        period_kind=PeriodKind.YEAR,
        period_start=start,
        updated_by=hub,
        published_at=published,
        **text,
    )
    _stories(narrative, hub, director, published)
    return narrative


def _stories(narrative: AnnualNarrative, hub: User, director: User | None, published) -> None:
    """Two agreed stories from two partners (the first with its consented photo) and one from the
    demo director's organisation, asked after publishing and not answered yet: the demo director finds
    it waiting on the annual texts page."""
    first, last = periods.bounds(narrative.period_kind, narrative.period_start)
    reports = list(
        MonthlyReport.objects.filter(
            month__gte=first,
            month__lte=last,
            status__in=COUNTED_STATUSES,
            organisation__is_hub=False,
            values__indicator__code="highlights",
            values__text__in=list(STORIES),
        )
        .select_related("organisation")
        .order_by("organisation_id", "-month")
        .distinct()
    )
    highlights = dict(
        MonthlyReport.objects.filter(pk__in=[r.pk for r in reports], values__indicator__code="highlights")
        .values_list("pk", "values__text")
        .distinct()
    )
    director_org = director.organisation_id if director else None
    picked: list[MonthlyReport] = []
    used_orgs, used_texts = set(), set()
    # The waiting story is the demo director's, picked first so the two agreed ones avoid its words.
    for want_director in (True, False):
        for report in reports:
            if len(picked) == 3 or (want_director and len(picked) == 1):
                break
            text = highlights.get(report.pk)
            if (
                (report.organisation_id == director_org) != want_director
                or report.organisation_id in used_orgs
                or text in used_texts
            ):
                continue
            picked.append(report)
            used_orgs.add(report.organisation_id)
            used_texts.add(text)
    waiting = picked[0] if picked and picked[0].organisation_id == director_org else None
    agreed = [r for r in picked if r is not waiting][:2]
    asked_at = published - datetime.timedelta(days=21)
    for position, report in enumerate([*agreed, *([waiting] if waiting else [])], start=1):
        title, more = STORIES[highlights[report.pk]]
        org = report.organisation
        story = AnnualStory(
            narrative=narrative,
            position=position,
            title=f"{org.short_name or org.name}：{title}"[:100],
            body=f"{highlights[report.pk]}{more}",
            organisation=org,
            source_report=report,
            consent_requested_by=hub,
        )
        if report is waiting:
            # Asked through the action below, so the director is told as in real use.
            story.consent_requested_by = None
        else:
            answered_by = (
                User.objects.filter(organisation=org, role=Role.DIRECTOR, is_active=True)
                .order_by("pk")
                .first()
            )
            story.consent_requested_at = asked_at
            story.consented_at = asked_at + datetime.timedelta(days=3)
            story.consented_by = answered_by
        if position == 1:
            story.photo = _photo(report, hub)
        story.save()
        if report is waiting:
            from .regional.annual_actions import do_request_story_consent

            do_request_story_consent(by=hub, story=story)


def _photo(report: MonthlyReport, hub: User) -> Attachment | None:
    """The report's photo of the event, parents' consent recorded (so ``usable_for_funders``)."""
    existing = Attachment.objects.for_object(report).filter(original_name=PHOTO_NAME).first()
    if existing is not None:
        return existing
    try:
        return do_add_attachment(
            policy_for(MonthlyReport),
            report,
            by=hub,
            upload=SimpleUploadedFile(PHOTO_NAME, picture()),
            kind=AttachmentKind.PHOTO,
            shows_children=True,
            consent_recorded=True,
        )
    except (PermissionDenied, ValidationError):
        return None  # the demo's data changed shape: a story without a photo still tells it


def picture(width: int = 480, height: int = 360) -> bytes:
    """A plain drawing in the style of the demo's other pictures (``hubsite/demo_attachments.py``,
    which this layer may not import): figures on a playground, no faces, no text."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "#e6f3fb")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 5 // 6, width, height], fill="#8cc56b")
    for i, colour in enumerate(("#e07a2f", "#2c6fb7", "#d9534f", "#5a9a2f", "#b7791f")):
        x = width // 6 * (i + 1)
        tall = 0 if i % 2 else 40  # grown-ups and children side by side
        draw.ellipse([x - 20, height // 2 - 60 + tall, x + 20, height // 2 - 20 + tall], fill=colour)
        draw.rounded_rectangle(
            [x - 26, height // 2 - 14 + tall, x + 26, height * 5 // 6], radius=12, fill=colour
        )
    draw.ellipse([width // 2 - 18, height * 5 // 6 - 36, width // 2 + 18, height * 5 // 6], fill="#ffd23f")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _partner_text(director: User, start: datetime.date) -> AnnualNarrative | None:
    """The director's organisation's own text for its funders and board, shared by link."""
    org = director.organisation
    if AnnualNarrative.objects.filter(
        organisation=org, period_kind=PeriodKind.YEAR, period_start=start
    ).exists():
        return None
    text = drafting.draft(org, PeriodKind.YEAR, start)
    text["foreword"] = (
        f"{text['foreword']}\n\n"
        "感谢乡亲们把孩子放心地交给我们，也感谢枢纽和兄弟机构的陪伴。新的一年，我们会继续把亲子园"
        "办在家门口，让山里的孩子也有读绘本、做游戏的地方。\n\n"
        f"{org.short_name or org.name}负责人 {director.full_name}"
    )
    text["thanks"] = "感谢心和基金会、同心源和所有志愿者的支持，感谢每一个信任我们的家庭。"
    text["funders"] = "心和基金会\n同心源（广西亲子园枢纽）"
    return AnnualNarrative.objects.create(
        organisation=org,
        period_kind=PeriodKind.YEAR,
        period_start=start,
        updated_by=director,
        share_token=secrets.token_urlsafe(32),
        **text,
    )
