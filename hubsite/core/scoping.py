"""The one scoping base queryset (like NetBox's ``RestrictedQuerySet.restrict``).

Every model a partner can reach has a queryset derived from ``ScopedQuerySet``; views ask
``Model.objects.for_user(user)`` (what the person may read) or ``.editable_by(user)`` (what they may
change) and look objects up in that, so another organisation's internal record answers 404.
Subclasses change the rule by overriding ``visible_to``/``editable_to`` (a ``Q`` or None for
nothing), never ``for_user`` itself: anonymous people see nothing and hub staff see everything
here, in one place.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ScopedQuerySet(models.QuerySet):
    """By default the rule for records internal to one organisation: hub staff see all, partner
    people (staff and directors) their own organisation's, viewers nothing."""

    # The path from the row to its organisation's id, e.g. "report__organisation".
    organisation_field = "organisation"

    def own_organisation(self, user) -> Q | None:
        if user.is_partner and user.organisation_id:
            return Q(**{f"{self.organisation_field}_id": user.organisation_id})
        return None

    def visible_to(self, user) -> Q | None:
        """What a logged-in person who is not hub staff may read (None: nothing)."""
        return self.own_organisation(user)

    def editable_to(self, user) -> Q | None:
        """What a logged-in person who is not hub staff may change (None: nothing)."""
        return self.own_organisation(user)

    def for_user(self, user):
        return self._scoped(user, self.visible_to)

    def editable_by(self, user):
        return self._scoped(user, self.editable_to)

    def _scoped(self, user, rule):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_hub:
            return self.all()
        condition = rule(user)
        return self.none() if condition is None else self.filter(condition)
