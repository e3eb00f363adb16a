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


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read only for hub staff (hubsite/core/admin_permissions.py): decisions go through the site's
    actions, which notify; the hub admin may correct."""

    list_display = ["applicant", "organisation", "module", "status", "score"]
    list_filter = ["status", "module"]
    search_fields = ["applicant__full_name", "organisation__name"]


@admin.register(PracticeRecord)
class PracticeRecordAdmin(admin.ModelAdmin):
    list_display = ["application", "served_on", "confirmed_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["application", "issued_on", "honour", "revoked"]
    exclude = ["code"]
