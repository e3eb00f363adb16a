import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubsite.core.models import Delivery, Notification

from . import KINDS


class NotificationLogFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=lambda: [(code, kind.label) for code, kind in sorted(KINDS.items())],
        label=_("kind"),
        empty_label=_("All kinds"),
    )
    email_status = django_filters.ChoiceFilter(
        choices=Notification.EmailStatus.choices,
        label=_("E-mail status"),
        empty_label=_("All e-mail statuses"),
    )
    delivery_status = django_filters.ChoiceFilter(
        choices=Delivery.Status.choices,
        label=_("channels"),
        method="by_delivery_status",
        empty_label=_("All channel statuses"),
    )

    class Meta:
        model = Notification
        fields = ["q", "kind", "email_status", "delivery_status"]

    def by_delivery_status(self, queryset, name, value):
        return queryset.filter(deliveries__status=value).distinct()

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(recipient__full_name__icontains=value)
            | Q(recipient__email__icontains=value)
        )
