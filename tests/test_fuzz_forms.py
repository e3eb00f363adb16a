"""Fuzz every form the access matrix reaches, as a role that may use it (Hypothesis).

The forms are found, not listed: each page of the matrix is fetched as the roles that may see it and
every ``<form>`` in it is read (fields, hidden values, select options, action); the matrix's POST
cases add their own fields. Each form is then posted with values drawn from the nasty inputs below
(missing fields, 10,000 characters, NUL bytes, emoji and right-to-left text, HTML, formulas, signs and
exponents, far and impossible dates, unknown choices, another organisation's ids). GET forms (filters)
are fuzzed too.

Asserted: no answer is a 5xx, and when the answer says "error" (the form again, 400/403/404/409, or a
redirect carrying an error message) the database is exactly as before (a fingerprint of every table).
The run is derandomized (the same examples every time) so CI is repeatable.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import MODULES, PROJECT_CASES

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HUBSITE_FUZZ_EXAMPLES", "12"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MISSING = object()
NASTY = [
    "",
    " ",
    "x" * 10_000,
    "长" * 10_000,
    "a\x00b",
    "\x00",
    "😀👨‍👩‍👧‍👦 亲子园",
    "\u202eمرحبا\u202c שלום",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=1+1",
    "@SUM(A1)",
    "-1",
    "0",
    "1.5",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "abc",
    "²",
    "99999999999999999999",
    "-99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "0001-01",
    "9999-12",
    "2024-13",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2024-02-30T25:61",
    "unknown-choice",
    "../../etc/passwd",
]
# Roles in the order they are tried: the hub first, then a partner (another organisation's ids in a
# partner's form are the interesting case), then the rest.
ROLE_ORDER = ("hub_admin", "hub_staff", "director", "partner", "other", "viewer", "anonymous")
ERROR_STATUSES = {200, 400, 403, 404, 409}
# A table that changes on every request whatever the form says.
NOISY_TABLES = {"django_session"}
DESTRUCTIVE = ("deactivate", "delete", "withdraw", "/end/", "confirm", "decide", "reopen", "approve")
# Forms that are not the project's own (allauth's pages are covered by its own tests) or end the session.
SKIPPED_PATHS = ("/accounts/", "/i18n/", "/admin/")


# ---------------------------------------------------------------------------------------------
# Reading forms out of pages


@dataclass
class Field:
    name: str
    kind: str  # text, hidden, select, checkbox, radio, textarea, date, number, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = attrs.get("action") or self.page_path
            self.form = Form(method=(attrs.get("method") or "get").lower(), action=urlsplit(action).path)
            self.forms.append(self.form)
            return
        # Inputs outside a <form> but tied to one by form="id" are rare here: ignored.
        if self.form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit" and name:
                    self.form.fields.setdefault(name, Field(name, "submit", attrs.get("value", "")))
                return
            existing = self.form.fields.get(name)
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(attrs.get("value", "on"))
                return
            self.form.fields[name] = Field(
                name,
                kind,
                attrs.get("value", ""),
                [attrs.get("value", "on")] if kind in ("radio", "checkbox") else [],
            )
        elif tag == "select":
            self.select = self.form.fields.setdefault(name, Field(name, "select"))
        elif tag == "textarea":
            self.textarea = self.form.fields.setdefault(name, Field(name, "textarea"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None and not self.textarea.value:
            self.textarea.value = data.strip()


class _OptionParser(HTMLParser):
    """Select options (a second pass: <option> tags sit inside the select the first pass is in)."""

    def __init__(self, forms: list[Form], page_path):
        super().__init__(convert_charrefs=True)
        self.forms = iter(forms)
        self.form = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = next(self.forms, None)
        elif tag == "select" and self.form is not None:
            self.select = self.form.fields.get(attrs.get("name", ""))
        elif tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select.value = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def read_forms(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    _OptionParser(parser.forms, page_path).feed(html)
    for form in parser.forms:
        form.fields.pop("csrfmiddlewaretoken", None)
        for item in form.fields.values():
            if item.kind == "select" and not item.value and item.options:
                item.value = next((o for o in item.options if o), "")
    return parser.forms


# ---------------------------------------------------------------------------------------------
# The world (as the access matrix builds it) and the forms found in it


def build_world(personas, hub_org, org_a, org_b, centre_a, centre_b):
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


def foreign_ids(world) -> list[str]:
    """Ids of org B's objects (and the other person's), for a partner of org A to smuggle in."""
    from partners.models import Centre, User

    ids = {world.org_b.pk, world.centre_b.pk, world.other.pk}
    ids.update(Centre.objects.filter(organisation=world.org_b).values_list("pk", flat=True))
    ids.update(User.objects.filter(organisation=world.org_b).values_list("pk", flat=True))
    return sorted(str(i) for i in ids)


def _path_is_ours(path: str) -> bool:
    if path.startswith(SKIPPED_PATHS):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return not (match.url_name or "").startswith("account_")


@dataclass
class Target:
    method: str
    path: str
    role: str
    fields: dict[str, Field]
    source: str


# One test per access-matrix module, so that `make test -n 2` shares them between its processes.
GROUPS = {"hubsite": PROJECT_CASES, **{module.__name__: module.CASES for module in MODULES}}


def discover(world, client_for, cases) -> list[Target]:
    """Every form of every matrix page, as each role that may use it (hub first, then a partner)."""
    targets: dict[tuple, Target] = {}

    def add(method, path, role, fields, source):
        if not _path_is_ours(path):
            return
        key = (method, path, role)
        target = targets.setdefault(key, Target(method, path, role, {}, source))
        for name, item in fields.items():
            target.fields.setdefault(name, item)

    for case in cases:
        url = reverse(case.name, kwargs=case.resolve_kwargs(world))
        if case.method == "post":
            ok_roles = [r for r in ROLE_ORDER if case.expected[r] in (200, 302) and r != "anonymous"]
            ok_roles = ok_roles or [r for r in ROLE_ORDER if case.expected[r] in (200, 302)]
            data = case.resolve_data(world)
            fields = {k: Field(k, "text", str(v)) for k, v in data.items()}
            for role in _pick_roles(ok_roles):
                add("post", url, role, fields, case.id)
            continue
        ok_roles = [r for r in ROLE_ORDER if case.expected[r] == 200]
        for role in _pick_roles(ok_roles):
            client = client_for(world.personas[role])
            response = client.get(f"{url}?{case.query}" if case.query else url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in read_forms(response.content.decode(), url):
                add(form.method, form.action, role, form.fields, case.id)
    # The same view at several addresses (a "start" button per month): two of them are enough.
    kept, seen = [], {}
    for target in targets.values():
        key = (target.method, resolve(target.path).view_name, target.role)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= 2:
            kept.append(target)
    # Forms that remove or end something (a person, a day, a membership) go last, so the others are
    # fuzzed while their objects and people still exist.
    return sorted(kept, key=lambda t: any(word in t.path for word in DESTRUCTIVE))


def _pick_roles(ok_roles):
    """One hub role and one partner role (when they may use the form), else the first that may."""
    hub = next((r for r in ok_roles if r.startswith("hub_")), None)
    partner = next((r for r in ok_roles if r in ("director", "partner", "other")), None)
    picked = [r for r in (hub, partner) if r]
    return picked or ok_roles[:1]


# ---------------------------------------------------------------------------------------------
# Payloads and the database fingerprint


def payloads(target: Target, foreign: list[str]):
    """A strategy of request data: every field missing, valid, nasty, an unknown or foreign choice."""

    def one(item: Field):
        choices = [st.just(MISSING), st.sampled_from(NASTY), st.sampled_from(foreign)]
        valid = [v for v in [item.value, *item.options] if v is not None]
        if valid:
            # A valid value often, so that the other fields' checks are reached too.
            choices += [st.sampled_from(valid)] * 3
        choices.append(st.text(max_size=30))
        return st.one_of(choices)

    names = sorted(target.fields)
    return st.fixed_dictionaries({name: one(target.fields[name]) for name in names}).map(
        lambda data: {k: v for k, v in data.items() if v is not MISSING}
    )


def fingerprint() -> dict[str, str]:
    """Per table: row count and an order-independent digest of every row (one query)."""
    tables = [t for t in connection.introspection.table_names() if t not in NOISY_TABLES]
    parts = [
        f"SELECT '{t}', count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), '' "
        f"ORDER BY md5(x::text))), '') FROM {connection.ops.quote_name(t)} x"
        for t in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def _error_messages(response) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", []) if storage is not None else []
    return [str(m) for m in queued if m.level >= message_levels.ERROR]


def _says_error(response) -> bool:
    if response.status_code in (400, 403, 404, 409):
        return True
    if response.status_code == 200:
        form = (response.context or {}).get("form") if response.context is not None else None
        return bool(form is not None and getattr(form, "errors", None)) or bool(_error_messages(response))
    return bool(_error_messages(response))


# ---------------------------------------------------------------------------------------------
# The test


STATS = {"forms": set(), "requests": 0, "errors": 0, "successes": 0, "server_errors": []}
# Fewer means forms went missing from the pages (the counts found when this test was written, less a few).
MIN_FORMS = {
    "hubsite": 1,
    "hubsite.tests.access": 4,
    "partners.tests.access": 24,
    "partners.tests.access_coverage": 3,
    "reports.tests.access": 15,
    "meetings.tests.access": 24,
    "mutualaid.tests.access": 14,
}


@pytest.fixture
def world(personas, hub_org, org_a, org_b, centre_a, centre_b):
    return build_world(personas, hub_org, org_a, org_b, centre_a, centre_b)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_form_survives_nasty_input_and_saves_nothing_when_it_refuses(world, client_for, group):
    targets = discover(world, client_for, GROUPS[group])
    # A page whose forms were no longer found (a template change) must not pass silently.
    assert len(targets) >= MIN_FORMS.get(group, 1), f"only {len(targets)} forms found for {group}"
    foreign = foreign_ids(world)
    STATS.update(forms=set(), requests=0, errors=0, successes=0, server_errors=[])
    failures = []
    for target in targets:
        STATS["forms"].add((target.method, target.path, target.role))
        try:
            client = client_for(world.personas[target.role])
            client.raise_request_exception = False  # a 500 is a finding to report, not a crash
            _fuzzer(target, client, foreign)()
        except AssertionError as error:
            failures.append(str(error).splitlines()[0][:2000])
            STATS["server_errors"].append(target.path)
    _write_stats(group, targets)
    assert not failures, "\n".join(failures)


def _fuzzer(target: Target, client, foreign: list[str]):
    label = f"{target.method.upper()} {target.path} as {target.role} (from {target.source})"

    @FUZZ_SETTINGS
    @given(data=payloads(target, foreign))
    def send(data):
        before = fingerprint() if target.method == "post" else None
        response = getattr(client, target.method)(target.path, data)
        STATS["requests"] += 1
        assert response.status_code < 500, f"{label} answered {response.status_code} to {data!r}"
        if target.method == "post" and response.status_code in ERROR_STATUSES | {302}:
            if _says_error(response):
                STATS["errors"] += 1
                after = fingerprint()
                changed = sorted(t for t in after if after[t] != before.get(t))
                assert not changed, f"{label} refused {data!r} but changed {changed}"
            else:
                STATS["successes"] += 1

    return send


def _write_stats(group, targets):
    summary = {
        "forms": len({(t.method, t.path) for t in targets}),
        "post_forms": len({t.path for t in targets if t.method == "post"}),
        "get_forms": len({t.path for t in targets if t.method == "get"}),
        "form_role_pairs": len(targets),
        "requests": STATS["requests"],
        "refused_and_checked_unchanged": STATS["errors"],
        "accepted": STATS["successes"],
        "failing_forms": sorted(set(STATS["server_errors"])),
        "examples_per_form": EXAMPLES,
        "targets": sorted(f"{t.method.upper()} {t.path} as {t.role}" for t in targets),
    }
    directory = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"fuzz-forms-{group}.json"), "w") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "targets"}, ensure_ascii=False))
