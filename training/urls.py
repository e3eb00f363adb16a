from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/modules/new/", views.ModuleCreateView.as_view(), name="module_create"),
    path("modules/<int:pk>/", views.ModuleDetailView.as_view(), name="module_detail"),
    path("modules/<int:pk>/edit/", views.ModuleEditView.as_view(), name="module_edit"),
    path("modules/<int:pk>/sessions/new/", views.SessionAddView.as_view(), name="session_add"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("applications/<int:pk>/endorse/", views.EndorseView.as_view(), name="endorse"),
    path("applications/<int:pk>/score/", views.ScoreView.as_view(), name="score"),
    path("applications/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("applications/<int:pk>/practice/", views.PracticeLogView.as_view(), name="practice_log"),
    path("practice/<int:pk>/confirm/", views.PracticeConfirmView.as_view(), name="practice_confirm"),
    path("applications/<int:pk>/ratings/", views.RatingView.as_view(), name="ratings"),
    path("applications/<int:pk>/defer/", views.DeferView.as_view(), name="defer"),
    path("applications/<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
    path("applications/<int:pk>/incentive/", views.IncentiveView.as_view(), name="incentive"),
    path("applications/<int:pk>/certificate.pdf", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("talent-pool/", views.TalentPoolView.as_view(), name="talent_pool"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
]
