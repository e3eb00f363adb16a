import importlib

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hubsite import health

# Apps contribute boxes to each role's home page through an optional `<app>/home.py` that defines
# `panels(request) -> list[dict]` (each dict: "template" plus its context). Order here is page order.
HOME_APPS = ["reports", "meetings", "mutualaid", "partners", "hubsite"]


def _home_panels(request) -> list[dict]:
    panels = []
    for app in HOME_APPS:
        try:
            module = importlib.import_module(f"{app}.home")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.home":
                raise
            continue
        panels.extend(module.panels(request))
    return panels


@login_required
def home(request):
    return render(request, "home.html", {"panels": _home_panels(request)})


def healthz(request):
    """A liveness probe; also the trivial view that `make bench` measures as the server's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz_ready(request):
    """Readiness: 200 when PostgreSQL, Redis and a worker's heartbeat are fine, else 503 naming the part."""
    checks = health.readiness()
    ready = all(state == health.OK for state in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
