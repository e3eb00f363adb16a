"""Pages of long lists that are not django-tables2 tables, shown with ``templates/includes/pager.html``."""

from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int) -> tuple[Page, str]:
    """The requested page of ``items`` and the request's other GET parameters, encoded, so that the
    pager's links keep the filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
