# Placeholder views: replaced by the full pages (tables, filters, forms).
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from hubsite.permissions import AnyRoleMixin, HubRequiredMixin

from .models import Centre, Organisation


class OrganisationListView(AnyRoleMixin, View):
    def get(self, request):
        return HttpResponse("organisations")


class OrganisationDetailView(AnyRoleMixin, View):
    def get(self, request, pk):
        get_object_or_404(Organisation.objects.for_user(request.user), pk=pk)
        return HttpResponse("organisation")


class CentreListView(AnyRoleMixin, View):
    def get(self, request):
        return HttpResponse("centres")


class CentreDetailView(AnyRoleMixin, View):
    def get(self, request, pk):
        get_object_or_404(Centre.objects.for_user(request.user), pk=pk)
        return HttpResponse("centre")


class PersonListView(HubRequiredMixin, View):
    def get(self, request):
        return HttpResponse("people")
