from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportRunListView.as_view(), name="run_list"),
    path("new/", views.UploadView.as_view(), name="upload"),
    path("templates/<slug:kind>/<slug:fmt>/", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:pk>/", views.ImportRunDetailView.as_view(), name="run_detail"),
    path("<int:pk>/confirm/", views.ImportRunConfirmView.as_view(), name="run_confirm"),
    path("<int:pk>/file/", views.ImportRunFileView.as_view(), name="run_file"),
]
