"""Every URL x every role. A URL without a case fails `test_every_url_is_in_the_matrix`."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import _clear_run_cache
from tests.matrix import LOGIN, ROLES, Case, everyone, expect, public

ACCESS_MODULES = [
    "hubsite.tests.access",
    "partners.tests.access",
    "partners.tests.access_coverage",
    "reports.tests.access",
    "meetings.tests.access",
    "mutualaid.tests.access",
    "training.tests.access",
    "imports.tests.access",
]

# Third-party URLs we do not own; the ones people use are listed as cases below.
IGNORED_NAMESPACES = {"admin"}
IGNORED_PREFIXES = ("account_", "socialaccount_", "mfa_", "usersessions_", "headless")

PROJECT_CASES = [
    Case("home", public()),  # a visitor who is not logged in sees the public page
    Case("healthz", expect(anonymous=200, hub_admin=200, director=200, other=200, viewer=200)),
    # No worker runs here, so readiness says 503 (no heartbeat) to everyone alike, logged in or not:
    # a probe needs no login, and the answer holds no secret (hubsite/tests/test_health.py).
    Case("healthz_ready", expect(anonymous=503, hub_admin=503, director=503, other=503, viewer=503)),
    Case(
        "set_language",
        expect(anonymous=302, hub_admin=302, director=302, other=302, viewer=302),
        method="post",
        data={"language": "en", "next": "/"},
    ),
    Case("admin:index", expect(hub_admin=200, director=302, other=302, viewer=302)),
    Case("account_login", expect(anonymous=200, hub_admin=302, director=302, other=302, viewer=302)),
    Case("account_signup", expect(anonymous=200, hub_admin=302, director=302, other=302, viewer=302)),
    Case("account_reset_password", expect(anonymous=200, hub_admin=200, director=200, other=200, viewer=200)),
    # The login address is the hub's to change (person page): everyone may read it, nobody may post.
    Case("account_email", everyone()),
    Case(
        "account_email",
        expect(hub_admin=403, director=403, other=403, viewer=403),
        method="post",
        data={"action_add": "", "email": "mine@example.net"},
    ),
]


def _app_modules():
    modules = []
    for name in ACCESS_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


MODULES = _app_modules()
CASES = PROJECT_CASES + [case for module in MODULES for case in module.CASES]


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in IGNORED_NAMESPACES:
                continue
            yield from _all_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if not namespace and entry.name.startswith(IGNORED_PREFIXES):
                continue
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in CASES}
    missing = sorted(set(_all_url_names()) - covered)
    assert not missing, f"URLs without an access-matrix case: {missing}"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expected) == set(ROLES), case.id


@pytest.fixture
def world(personas, hub_org, org_a, org_b, centre_a, centre_b):
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


class _RollBack(Exception):
    """Undoes one role's request, so the next role meets the world as it was built."""


def _status_as(role, case, world, client_for):
    """The status (and redirect target) ``role`` gets for ``case``; what the request wrote is rolled back."""
    try:
        with transaction.atomic():
            client = client_for(world.personas[role])
            url = reverse(case.name, kwargs=case.resolve_kwargs(world))
            if case.query:
                url = f"{url}?{case.query}"
            response = getattr(client, case.method)(url, case.resolve_data(world))
            found = response.status_code, response.get("Location", "")
            raise _RollBack
    except _RollBack:
        pass
    # Rate-limit counters, page versions and cached pages the request left must not reach the next role.
    _clear_run_cache()
    return found


# One world per URL, every role in turn inside it (each in a savepoint rolled back afterwards): the
# world is most of a case's cost, so building it once per URL instead of once per role keeps the
# matrix a few minutes long while it still asks every role of every URL.
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_access(case, world, client_for):
    wrong = []
    for role in ROLES:
        status, location = _status_as(role, case, world, client_for)
        expected = case.expected[role]
        if status != expected:
            wrong.append(f"{case.id} as {role}: {status} != {expected}")
        # A 302 for anonymous only where logged-in people get something else is the login redirect.
        elif (
            role == "anonymous"
            and expected == LOGIN
            and case.expected["hub_admin"] != LOGIN
            and "/login/" not in location
        ):
            wrong.append(f"{case.id} as anonymous: redirected to {location}, not the login page")
    assert not wrong, "\n".join(wrong)
