from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hubsite.core.language import set_language
from partners.accounts import LoginEmailView

from . import views

# The admin logs in through allauth, so its rate limits and lock-outs apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = settings.HUB_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready/", views.healthz_ready, name="healthz_ready"),
    # The menu's language switch, which also saves the choice on the person (hubsite.core.language).
    path("i18n/setlang/", set_language, name="set_language"),
    # Before allauth's URLs, so this read-only page answers (and reverses) as `account_email`.
    path("accounts/email/", LoginEmailView.as_view(), name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("hubsite.core.notifications.urls")),
    path("partners/", include("partners.urls")),
    path("coverage/", include("partners.coverage.urls")),
    path("reports/", include("reports.urls")),
    path("meetings/", include("meetings.urls")),
    path("mutual-aid/", include("mutualaid.urls")),
    path("training/", include("training.urls")),
    path("imports/", include("imports.urls")),
    path("attachments/", include("hubsite.core.attachments.urls")),
    path("exports/", include("hubsite.core.exportjobs.urls")),
]
# MEDIA_ROOT is never served by URL, not even under DEBUG: stored files leave only through views that
# check the user (hubsite.core.files.serve_protected).
