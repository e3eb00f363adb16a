import importlib

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

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
