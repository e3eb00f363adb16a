from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("unread/", views.UnreadCountView.as_view(), name="unread"),
    path("settings/", views.PreferencesView.as_view(), name="preferences"),
    path("settings/mobile/", views.MobileNumberView.as_view(), name="mobile"),
    path("settings/mobile/verify/", views.MobileVerifyView.as_view(), name="mobile_verify"),
    path("log/", views.NotificationLogView.as_view(), name="log"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("<int:pk>/resend/", views.ResendView.as_view(), name="resend"),
]
