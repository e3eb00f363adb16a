from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<str:model>/<int:object_id>/add/", views.AttachmentAddView.as_view(), name="add"),
    path("<int:pk>/", views.AttachmentDownloadView.as_view(), name="download"),
    path("<int:pk>/thumbnail/", views.AttachmentThumbnailView.as_view(), name="thumbnail"),
    path("<int:pk>/consent/", views.AttachmentConsentView.as_view(), name="consent"),
    path("<int:pk>/remove/", views.AttachmentRemoveView.as_view(), name="remove"),
]
