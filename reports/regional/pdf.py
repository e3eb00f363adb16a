"""The PDF: a Django template rendered by WeasyPrint, charts and the map drawn as server SVG.

Chinese text needs a CJK font the system knows (Debian ``fonts-noto-cjk``; ``.ci/system-packages``
installs it); with ``libharfbuzz-subset0`` WeasyPrint embeds only the glyphs used, about 1 s a page.
"""

from __future__ import annotations

import ctypes
import datetime
import functools
import logging
import os
import pickle
import signal
import tempfile
import time
import unicodedata
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from hubsite.core.charts import bar_chart
from partners.models import Organisation, Prefecture

from ..rollup import figure_heading

# WeasyPrint logs every layout step at INFO: noise in the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)


def share_font_files() -> None:
    """Keep WeasyPrint from copying each font's whole file into Python memory (idempotent).

    WeasyPrint 70's ``Font`` reads the whole font file into a ``bytes`` object per font face used (the
    regular, bold and monospaced Noto CJK faces are in 20 MB collections: 60 MB a process), then
    subsets from HarfBuzz's own face, not from that copy, and replaces the copy with the subset. Here the
    copy is a view of the font file HarfBuzz already holds (mapped from disk, shared between the
    processes) and kept alive with the font: the same PDF to the byte, a part process's peak 274 ->
    143 MB on the 100x bench. Only the first read of a face is a view; the subset is copied as before
    (HarfBuzz frees it)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, harfbuzz

    if getattr(fonts.Font.__init__, "shares_font_files", False):
        return
    copying_init, copy_of = fonts.Font.__init__, fonts.get_hb_object_data

    def view_of(hb_object, ot_color=None, glyph=None, *, kept: list):
        if ot_color is not None:
            return copy_of(hb_object, ot_color, glyph)
        blob = ffi.gc(harfbuzz.hb_face_reference_blob(hb_object), harfbuzz.hb_blob_destroy)
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        if data == ffi.NULL:
            return None
        kept.append(blob)  # the view reads the blob's memory: it lives as long as the font
        return ffi.buffer(data, int(length[0]))

    def init(self, pango_font, description, font_size):
        self.shared_blobs = []
        fonts.get_hb_object_data = functools.partial(view_of, kept=self.shared_blobs)
        try:
            copying_init(self, pango_font, description, font_size)
        finally:
            fonts.get_hb_object_data = copy_of

    init.shares_font_files = True
    fonts.Font.__init__ = init


def render_html(content) -> str:
    from .annual_web import charts

    drawn = charts(content)
    totals = [
        {"indicator": i, "figure": content.totals[i.pk]} for i in content.indicators if i.pk in content.totals
    ]
    return render_to_string(
        "reports/regional/pdf.html",
        {
            "c": content,
            **drawn,
            "type_chart": bar_chart(content.centres_by_type, height=180),
            "totals": totals,
            # The tables' headings carry each figure's unit and how it adds up (e.g. 户，月均).
            "key_headings": [figure_heading(i) for i in content.key_indicators],
            "attendance": content.attendance,
        },
    )


def write_pdf(content, target) -> None:
    """Write the PDF to ``target`` (a path or a binary file object)."""
    from weasyprint import HTML

    share_font_files()
    HTML(string=render_html(content)).write_pdf(target)


# ---------------------------------------------------------------------------------------------
# The annual (and half-year) report's designed PDF, rendered in parts by child processes and joined.
#
# WeasyPrint lays out one document on one core, and a table of a thousand partners is most of the
# time and memory. So the report is cut into parts (the cover and the body before the partners'
# pages; the partners' pages, a few prefectures each; the closing pages), each child process loads
# its own part's data by ids (``content.gather`` for the body, ``content.partner_groups`` for some
# prefectures' partners) and writes its own PDF, and the parent joins the files with pypdf. The
# parent never holds the network's figures, and no child holds more than its part's layout.

# Two processes: the machine's cores (a third would only wait for one of them).
WORKERS = 2
# Partners per part: a part has a fixed cost (its queries, fonts, writing) and the parts must spread
# over both processes; 350 gives the 100x network three partners' parts beside the body.
PARTNERS_PER_PART = 350


@dataclass(frozen=True)
class AnnualJob:
    """What a child needs to load its part itself: ids and plain values, nothing gathered."""

    kind: str
    start: datetime.date
    scope: str
    prefecture_id: int | None
    organisation_id: int | None
    title: str
    language: str
    today: datetime.date


@dataclass(frozen=True)
class Part:
    sections: tuple[str, ...]
    prefecture_ids: tuple[int, ...] = ()
    # The first partners' part carries the anchor the contents page points at.
    first_partners: bool = False


def annual_job(report, language: str, today: datetime.date | None = None) -> AnnualJob:
    return AnnualJob(
        kind=report.period_kind,
        start=report.period_start,
        scope=report.scope,
        prefecture_id=report.prefecture_id,
        organisation_id=report.organisation_id,
        title=report.title,
        language=language,
        today=today or timezone.localdate(),
    )


def plan_parts(job: AnnualJob) -> list[Part]:
    """The parts in page order: the body, the partners' pages in runs of whole prefectures, the end."""
    from . import content as content_module
    from .choices import ReportScope

    if job.scope == ReportScope.ORGANISATION:
        return [Part(("cover", "front", "back"))]
    prefecture = Prefecture.objects.get(pk=job.prefecture_id) if job.prefecture_id else None
    parts = [Part(("cover", "front"))]
    run, size = [], 0
    for prefecture_id, partners in content_module.partner_counts(job.scope, prefecture, None):
        if run and size + partners > PARTNERS_PER_PART:
            parts.append(Part(("partners",), tuple(run), first_partners=len(parts) == 1))
            run, size = [], 0
        run.append(prefecture_id)
        size += partners
    if run:
        parts.append(Part(("partners",), tuple(run), first_partners=len(parts) == 1))
    parts.append(Part(("back",)))
    return parts


def render_part(job: AnnualJob, part: Part, path: str, xlsx=None) -> Rendered:
    """Render one part to ``path`` (in a child process, or in this one); returns its page count.
    With ``xlsx`` (the body's part only), ``xlsx(content)`` is called first with the period's whole
    roll-up, gathered in the language active here (the XLSX's): the body is drawn from the same
    roll-up, so the year's values are read once for both files, not once each (a second of the
    database's and this process's time at 100x)."""
    from weasyprint import HTML

    from . import annual_web
    from . import content as content_module

    share_font_files()
    prefecture = Prefecture.objects.get(pk=job.prefecture_id) if job.prefecture_id else None
    organisation = Organisation.objects.get(pk=job.organisation_id) if job.organisation_id else None
    content = None
    if xlsx is not None:
        content = content_module.gather(
            job.kind, job.start, job.scope, prefecture, organisation, title=job.title, today=job.today
        )
        xlsx(content)
        if translation.get_language() != job.language:
            content = None  # its labels (the site types) are in the XLSX's language: gathered again
    with translation.override(job.language):
        if "front" in part.sections:
            if content is None:
                content = content_module.gather(
                    job.kind,
                    job.start,
                    job.scope,
                    prefecture,
                    organisation,
                    title=job.title,
                    today=job.today,
                    monthly_codes=("child_visits",),  # the one monthly chart
                )
            context = annual_web.design_context(content, content_module.annual(content), web=False)
        else:
            words = content_module.annual_words(job.kind, job.start, organisation)
            context = annual_web.words_context(job.kind, job.start, words)
        if "partners" in part.sections:
            key_indicators, groups = content_module.partner_groups(
                job.kind, job.start, job.scope, prefecture, list(part.prefecture_ids), today=job.today
            )
            context.update(
                lines_heading=partner_heading(
                    [figure_heading(i) for i in key_indicators],
                    gettext("Organisation"),
                    pgettext("annual report section", "Targets reached"),
                ),
                groups=[(prefecture, partner_lines(rows, key_indicators)) for prefecture, rows in groups],
                key_indicators=key_indicators,
                key_headings=[figure_heading(i) for i in key_indicators],
                first_anchor="partners" if part.first_partners else "",
            )
        context.update(parts=part.sections, running=context["title"])
        document = HTML(string=render_to_string("reports/regional/pdf_annual.html", context)).render()
        document.write_pdf(path)
        # The sections' headings (h2) and their pages in this part, for the contents page.
        headings = [
            (label, n)
            for n, page in enumerate(document.pages)
            for level, label, _target, _state in page.bookmarks
            if level == 2
        ]
        return Rendered(len(document.pages), headings)


# The partners' lines in the PDF are one block of text per prefecture, columns padded by display width
# (with the font's half-width Latin, a Chinese character takes exactly two columns): WeasyPrint lays out a
# thousand of them in a sixth of the time the same lines take as boxes (the 10-second goal). The web
# edition keeps boxes, which wrap on a phone.
COLUMNS = {"name": 26, "figure": 11, "targets": 8}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns (with an ellipsis) and padded to it."""
    if _width(text) > width:
        while _width(text) > width - 2:
            text = text[:-1]
        text += "… "
    return text + " " * (width - _width(text))


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` display columns."""
    pieces, piece = [], ""
    for char in text:
        if _width(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def partner_heading(headings: list[str], organisation: str, targets: str) -> str:
    """The column headings above the partners' lines, wrapped into as many lines as the longest needs,
    in the same columns (so they stand exactly over their figures)."""
    cells = [
        (_wrap(organisation, COLUMNS["name"] - 1), COLUMNS["name"], False),
        *((_wrap(h, COLUMNS["figure"] - 1), COLUMNS["figure"], True) for h in headings),
        (_wrap(targets, COLUMNS["targets"] - 1), COLUMNS["targets"], True),
    ]
    height = max(len(pieces) for pieces, _w, _r in cells)
    lines = []
    for n in range(height):
        line = ""
        for pieces, width, right in cells:
            # Bottom-aligned, like a table's heading row.
            piece = pieces[n - (height - len(pieces))] if n >= height - len(pieces) else ""
            pad = " " * (width - _width(piece))
            line += pad + piece if right else piece + pad
        lines.append(line.rstrip())
    return "\n".join(lines)


def partner_lines(rows, key_indicators) -> str:
    """One prefecture's partners as aligned lines: name, the key figures, targets reached."""
    from ..templatetags.regional import num

    lines = []
    for row in rows:
        cells = [_fit(row.organisation.short_name or row.organisation.name, COLUMNS["name"])]
        for indicator in key_indicators:
            figure = row.figures.get(indicator.pk)
            cells.append(num(figure.current if figure else None).rjust(COLUMNS["figure"]))
        reached = row.targets_reached
        cells.append((f"{reached[0]}/{reached[1]}" if reached else "—").rjust(COLUMNS["targets"]))
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)


@dataclass(frozen=True)
class Rendered:
    pages: int
    headings: list


def render_contents(job: AnnualJob, entries: list[tuple[str, int, bool]], path: str) -> int:
    """The contents page, rendered last when every part's page count is known (in this process: no
    data but the headings the parts sent back)."""
    from weasyprint import HTML

    from . import annual_web
    from . import content as content_module

    share_font_files()
    with translation.override(job.language):
        organisation = Organisation.objects.get(pk=job.organisation_id) if job.organisation_id else None
        name = content_module.report_name(organisation)
        context = {
            "parts": ("contents",),
            "toc": entries,
            "title": f"{name} · {annual_web.period_label(job.kind, job.start)}",
            "running": f"{name} · {annual_web.period_label(job.kind, job.start)}",
        }
        document = HTML(string=render_to_string("reports/regional/pdf_annual.html", context)).render()
        document.write_pdf(path)
        return len(document.pages)


def contents_entries(parts: list[Part], rendered: list[Rendered], contents_pages: int) -> list:
    """(heading, page number, is a prefecture) in page order. The pages run: the cover (the first
    part's first page), the contents, the rest of the first part, then the other parts in order."""
    from django.utils.translation import pgettext

    entries, before, partners_seen = [], 0, False
    for n, (part, result) in enumerate(zip(parts, rendered, strict=True)):
        for label, index in result.headings:
            # The first part: its first page is the cover, the rest come after the contents.
            page = (1 if index == 0 else 1 + contents_pages + index) if n == 0 else before + index + 1
            if "partners" in part.sections:
                if not partners_seen:
                    heading = pgettext("annual report section", "Partner organisations by prefecture")
                    entries.append((heading, page, False))
                    partners_seen = True
                entries.append((label, page, True))
            else:
                entries.append((label, page, False))
        before = contents_pages + result.pages if n == 0 else before + result.pages
    return entries


def stamp_page_numbers(writer) -> None:
    """Page numbers at the foot of every page but the cover: the parts were rendered apart, so each
    numbered its pages from 1; one overlay of empty numbered pages fixes that (under a second)."""
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    total = len(writer.pages)
    html = (
        "<style>@page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page) ' / ' "
        "counter(pages); font-size: 7.5pt; color: #6c757d; font-family: 'Noto Sans CJK SC', sans-serif; } }"
        "@page :first { @bottom-center { content: none; } } div { break-after: page; }</style>"
        + "<div></div>" * (total - 1)
        + "<p></p>"
    )
    share_font_files()
    overlay = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    for page, numbers in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(numbers)
        # Merging leaves the page's content uncompressed: 6.2 MB instead of 3 MB at 100x.
        page.compress_content_streams()


def _child_started() -> None:
    """In a forked child: die with the parent (a killed worker leaves no part rendering on), and never
    use (or close) the parent's database connection, whose socket it shares; Django opens the child's
    own on first use. The old connection objects are kept alive (not garbage-collected, which would
    close the parent's socket) until the child exits."""
    from django.db import connections

    _die_with_parent()

    for conn in connections.all():
        _INHERITED.append(conn.connection)
        conn.connection = None


_INHERITED: list = []
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: the pool still joins its children when the parent ends normally
        pass


class _Forked:
    """Runs callables each in a fresh forked child, at most ``workers`` at a time, results in order.

    A fresh child per part (not a pool that keeps its workers) so no process holds more than one part's
    fonts and layout: the memory goal. os.fork rather than multiprocessing, which refuses children to
    a Celery prefork pool process (marked daemonic).

    Each child's own time, CPU and peak memory (``os.wait4``: that child's rusage alone) are logged,
    with the figures in the record's ``annual_part`` (the bench reads them). A forked child's peak
    resident size starts at this process's size when it forked (pages shared, not copied), so it
    counts this process too: one more reason this process stays small."""

    def __init__(self, tasks: list, workers: int, on_done, labels: list[str] | None = None):
        self.tasks, self.workers, self.on_done, self.labels = tasks, workers, on_done, labels
        self.results: list = [None] * len(tasks)
        self.finished: set[int] = set()
        self.pending = list(range(len(tasks)))
        self.running: dict[int, tuple[int, int, float]] = {}

    def wait(self, indexes) -> list:
        """Run tasks until those of ``indexes`` are done (the others may still run); the results."""
        wanted = set(indexes)
        while not wanted <= self.finished:
            while self.pending and len(self.running) < self.workers:
                self._start(self.pending.pop(0))
            for pid in list(self.running):
                done, status, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    self._collect(pid, status, usage)
            time.sleep(0.02)
        return self.results

    def stop(self) -> None:
        """After a failure: stop the children still running."""
        for pid, (_index, read_end, _started) in self.running.items():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
        self.running.clear()

    def _start(self, index: int) -> None:
        from django.db import connections

        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: one task, its result down the pipe, then exit at once
            os.close(read_end)
            code = 1
            try:
                _child_started()
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(self.tasks[index](), out)
                code = 0
            except BaseException:
                logger.exception("annual PDF part %s failed", index)
            finally:
                connections.close_all()  # the child's own connection (the parent's is kept)
                os._exit(code)
        os.close(write_end)
        self.running[pid] = (index, read_end, time.perf_counter())

    def _collect(self, pid: int, status: int, usage) -> None:
        index, read_end, started = self.running.pop(pid)
        _log_part(index, self.labels, time.perf_counter() - started, usage)
        with os.fdopen(read_end, "rb") as result:
            data = result.read()
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            raise RuntimeError(f"annual PDF part {index} failed (see the worker's log)")
        self.results[index] = pickle.loads(data)  # noqa: S301 - our own child's result
        self.finished.add(index)
        self.on_done()


def _log_part(index: int, labels: list[str] | None, seconds: float, usage) -> None:
    figures = {
        "index": index,
        "label": labels[index] if labels else str(index),
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,  # kilobytes on Linux
    }
    logger.info(
        "annual PDF task %(index)s (%(label)s): %(seconds).1f s, %(cpu_seconds).1f s CPU, peak RSS %(mb).0f MB",
        {**figures, "mb": figures["max_rss_kb"] / 1024},
        extra={"annual_part": figures},
    )


def write_annual_pdf(job: AnnualJob, target, *, workers: int = WORKERS, xlsx=None, on_part=None) -> int:
    """Write the annual PDF of ``job`` to ``target`` (a path); returns the page count. With more than
    one worker the parts render in forked child processes; ``xlsx(content)`` (writing the XLSX) is
    called in the body's part (``render_part``); ``on_part(done, total)`` is called here after each
    part (the heartbeat)."""
    import weasyprint  # noqa: F401 - imported once here rather than in each forked child

    share_font_files()

    parts = plan_parts(job)
    with tempfile.TemporaryDirectory(prefix="annual-pdf-") as workdir:
        paths = [f"{workdir}/part-{n}.pdf" for n in range(len(parts))]
        tasks = [
            functools.partial(render_part, job, part, path, xlsx if n == 0 else None)
            for n, (part, path) in enumerate(zip(parts, paths, strict=True))
        ]
        if workers <= 1 or len(parts) == 1:
            rendered = []
            for task in tasks:
                rendered.append(task())
                if on_part:
                    on_part(len(rendered), len(parts))
        else:
            done = []

            def finished() -> None:
                done.append(1)
                if on_part:
                    on_part(len(done), len(parts))

            # The body (with the XLSX) first: the longest part, while the other process takes the
            # partners' parts one after another.
            forked = _Forked(tasks, workers, finished, ["+".join(part.sections) for part in parts])
            try:
                rendered = forked.wait(range(len(tasks)))
            finally:
                forked.stop()
        return _join(job, parts, paths, rendered, workdir, target)


def _join(job: AnnualJob, parts: list[Part], paths: list[str], rendered: list, workdir: str, target) -> int:
    """The contents page, then the parts joined in page order, numbered, written to ``target``."""
    from pypdf import PdfWriter

    contents_path = f"{workdir}/contents.pdf"
    contents_pages = 1
    for _attempt in range(2):  # a contents page that runs over shifts every number: once more
        with translation.override(job.language):  # the partners' pages' heading is the edition's
            entries = contents_entries(parts, rendered, contents_pages)
        pages = render_contents(job, entries, contents_path)
        if pages == contents_pages:
            break
        contents_pages = pages
    writer = PdfWriter()
    writer.append(paths[0], pages=(0, 1))  # the cover
    writer.append(contents_path)
    if rendered[0].pages > 1:
        writer.append(paths[0], pages=(1, rendered[0].pages))
    for path in paths[1:]:
        writer.append(path)
    stamp_page_numbers(writer)
    writer.write(target)
    return len(writer.pages)
