from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hubsite import health
from hubsite import home as site_home
from meetings import home as meetings_home
from mutualaid import home as mutualaid_home
from reports import home as reports_home

# The site layer composes the home page from each app's `home.panels(request) -> list[dict]` (each
# dict: "template" plus its context). Order here is page order.
HOME_PANELS = [reports_home, meetings_home, mutualaid_home, site_home]


def _home_panels(request) -> list[dict]:
    return [panel for module in HOME_PANELS for panel in module.panels(request)]


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
