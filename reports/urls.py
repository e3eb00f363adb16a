from django.urls import path

from . import rule_views, target_views, views
from .regional import annual_latest, annual_web
from .regional import annual_views as annual
from .regional import views as regional

app_name = "reports"

urlpatterns = [
    path("", views.MyReportsView.as_view(), name="my_reports"),
    path("start/<int:year>/<int:month>/", views.StartReportView.as_view(), name="start"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.SubmitReportView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.ApproveReportView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReturnReportView.as_view(), name="return"),
    path("<int:pk>/reopen/", views.ReopenReportView.as_view(), name="reopen"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("grid/", views.GridView.as_view(), name="grid"),
    path("grid/export/", views.GridExportView.as_view(), name="grid_export"),
    path("figures/", views.NetworkFiguresView.as_view(), name="figures"),
    path("figures/export/", views.FiguresExportView.as_view(), name="figures_export"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorUpdateView.as_view(), name="indicator_edit"),
    path("targets/", target_views.TargetIndexView.as_view(), name="targets"),
    path("targets/<int:pk>/<int:year>/", target_views.TargetsEditView.as_view(), name="targets_edit"),
    path("rules/", rule_views.RuleListView.as_view(), name="rule_list"),
    path("rules/new/", rule_views.RuleCreateView.as_view(), name="rule_create"),
    path("rules/<int:pk>/", rule_views.RuleUpdateView.as_view(), name="rule_edit"),
    path("rules/violations/", rule_views.ViolationListView.as_view(), name="rule_violations"),
    # The annual report's words (before the web edition's annual/<kind>/<month>/, which would match).
    path("annual/texts/", annual.AnnualTextListView.as_view(), name="annual_texts"),
    path("annual/latest/", annual_latest.AnnualLatestView.as_view(), name="annual_latest"),
    path("annual/texts/<int:pk>/", annual.AnnualTextEditView.as_view(), name="annual_text_edit"),
    path("annual/texts/<int:pk>/stories/new/", annual.StoryPickView.as_view(), name="annual_story_pick"),
    path("annual/texts/<int:pk>/share/", annual.ShareView.as_view(), name="annual_text_share"),
    path("annual/texts/<int:pk>/preview/", annual.PreviewView.as_view(), name="annual_text_preview"),
    path("annual/texts/<int:pk>/publish/", annual.PublishView.as_view(), name="annual_text_publish"),
    path("annual/stories/<int:pk>/", annual.StoryEditView.as_view(), name="annual_story_edit"),
    path("annual/stories/<int:pk>/ask/", annual.StoryAskView.as_view(), name="annual_story_ask"),
    path("annual/stories/<int:pk>/consent/", annual.StoryConsentView.as_view(), name="annual_story_consent"),
    path("annual/stories/<int:pk>/remove/", annual.StoryRemoveView.as_view(), name="annual_story_remove"),
    path("annual/shared/<str:token>/", annual.shared_annual, name="annual_shared"),
    path("annual/<str:kind>/<str:month>/", annual_web.AnnualWebView.as_view(), name="annual_web"),
    path("regional/", regional.RegionalReportListView.as_view(), name="regional_list"),
    path("regional/<int:pk>/status/", regional.RegionalReportStatusView.as_view(), name="regional_status"),
    path("regional/<int:pk>/retry/", regional.RegionalReportRetryView.as_view(), name="regional_retry"),
    path(
        "regional/<int:pk>/<str:fmt>/",
        regional.RegionalReportDownloadView.as_view(),
        name="regional_download",
    ),
]
