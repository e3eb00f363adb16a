from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("<int:pk>/status/", views.OrganisationStatusView.as_view(), name="organisation_status"),
    path("<int:pk>/awards/new/", views.AwardCreateView.as_view(), name="award_create"),
    path("awards/<int:pk>/edit/", views.AwardEditView.as_view(), name="award_edit"),
    path(
        "<int:pk>/expansion-plans/new/", views.ExpansionPlanCreateView.as_view(), name="expansion_plan_create"
    ),
    path("expansion-plans/<int:pk>/edit/", views.ExpansionPlanEditView.as_view(), name="expansion_plan_edit"),
    path("<int:pk>/experience/new/", views.ExperienceCreateView.as_view(), name="experience_create"),
    path("experience/<int:pk>/edit/", views.ExperienceEditView.as_view(), name="experience_edit"),
    path("experience/<int:pk>/endorse/", views.ExperienceEndorseView.as_view(), name="experience_endorse"),
    path("centres/", views.CentreListView.as_view(), name="centre_list"),
    path("centres/new/", views.CentreCreateView.as_view(), name="centre_create"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre_detail"),
    path("centres/<int:pk>/edit/", views.CentreEditView.as_view(), name="centre_edit"),
    path("centres/<int:pk>/assess/", views.CentreAssessView.as_view(), name="centre_assess"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/invite/", views.PersonInviteView.as_view(), name="person_invite"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/deactivate/", views.PersonDeactivateView.as_view(), name="person_deactivate"),
    path(
        "people/<int:pk>/resend-invitation/",
        views.PersonResendInvitationView.as_view(),
        name="person_resend_invitation",
    ),
]
