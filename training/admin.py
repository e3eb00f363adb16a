from django.contrib import admin

from .models import Application, Certificate, Module, PracticeRecord, Programme


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["name", "places", "opens_at", "closes_at"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Programmes and their modules; the hub also creates them on the site."""

    list_display = ["name", "year", "incentive_cap"]
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "places", "opens_at", "closes_at"]
    list_filter = ["programme"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records with a lifecycle on the site (selection, practice, certificates): read only here, so
    every decision goes through its action and notifies whom it should."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["applicant", "organisation", "module", "status", "score"]
    list_filter = ["status", "module"]
    search_fields = ["applicant__full_name", "organisation__name"]


@admin.register(PracticeRecord)
class PracticeRecordAdmin(ReadOnlyAdmin):
    list_display = ["application", "served_on", "confirmed_at"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["application", "issued_on", "honour", "revoked"]
    exclude = ["code"]
