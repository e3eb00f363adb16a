from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hubsite import health
from hubsite import home as site_home
from meetings import home as meetings_home
from mutualaid import home as mutualaid_home
from partners.coverage.views import PublicCoverageView
from reports import home as reports_home

# The site layer composes the home page from each app's `home.panels(request) -> list[dict]` (each
# dict: "template" plus its context). Order here is page order.
HOME_PANELS = [reports_home, meetings_home, mutualaid_home, site_home]


def _home_panels(request) -> list[dict]:
    # Partner people see what is due first, in one box (hubsite/home.py ``arrange``).
    return site_home.arrange(request, [panel for module in HOME_PANELS for panel in module.panels(request)])


public_page = PublicCoverageView.as_view()


def home(request):
    """Everyone's own home page; a visitor who is not logged in gets the public page (who the hub is,
    where it works, how to start a centre), which links to the login."""
    if not request.user.is_authenticated:
        return public_page(request)
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
