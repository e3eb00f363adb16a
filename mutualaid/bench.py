"""`make bench` for the mutual-aid group: the eligibility overview at 100x the demo network.

Called by `manage.py bench` as `run(bench)`; the data (organisations, centres, assessments ...) is the
framework's. The overview must cost a fixed number of queries, so its time should grow with rows,
not with round trips.
"""

from django.urls import reverse


def _hub_staff(bench):
    return bench.users["hub"]  # hubsite/bench.py: {"hub": hub staff, "partner": ..., "viewer": ...}


def run(bench):
    from mutualaid.criteria import evaluate_all

    staff = _hub_staff(bench)
    bench.time("mutualaid: evaluate all active partners (Python + 6 queries)", lambda: evaluate_all())
    bench.view("mutualaid: eligibility overview", reverse("mutualaid:overview"), staff)
    bench.view("mutualaid: missing exactly one", reverse("mutualaid:overview") + "?missing=1", staff)
    bench.view("mutualaid: group page", reverse("mutualaid:group"), staff)
    bench.view("mutualaid: expansion funding queue", reverse("mutualaid:application_list"), staff)
    # The floor: reading the rows the evaluators need, without Python on top.
    bench.sql(
        "mutualaid: assessments of active partners' centres",
        "SELECT a.id, a.centre_id, a.assessed_on, a.rating FROM partners_centreassessment a "
        "JOIN partners_centre c ON c.id = a.centre_id "
        "JOIN partners_organisation o ON o.id = c.organisation_id "
        "WHERE o.status = %s AND NOT o.is_hub",
        ["active"],
    )
    bench.ratio("mutualaid: eligibility overview", "mutualaid: assessments of active partners' centres")
