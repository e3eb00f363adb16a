from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("", views.CoverageView.as_view(), name="index"),
    path("prefectures/<str:code>/", views.PrefectureView.as_view(), name="prefecture"),
    path("public/", views.PublicCoverageView.as_view(), name="public"),
    path("public/interest/", views.InterestView.as_view(), name="interest"),
    path("public/thanks/", views.InterestThanksView.as_view(), name="interest_thanks"),
]
