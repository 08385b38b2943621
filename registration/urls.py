from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("", views.MyRegistrationsView.as_view(), name="mine"),
    path("focal-point/", views.FocalPointRequestView.as_view(), name="focal_point_request"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("credentials/<int:pk>/", views.CredentialsFileView.as_view(), name="credentials_file"),
    path("<slug:slug>/participants/", views.ParticipantsView.as_view(), name="participants"),
    path("<slug:slug>/participants.<str:fmt>", views.ParticipantsView.as_view(), name="participants_file"),
    path("<slug:slug>/credentials-report/", views.CredentialsReportView.as_view(), name="credentials_report"),
    path("<slug:slug>/<str:party_key>/", views.DelegationView.as_view(), name="delegation"),
    path("<slug:slug>/<str:party_key>/credentials/", views.CredentialsUploadView.as_view(), name="credentials_upload"),
    path(
        "<slug:slug>/<str:party_key>/invite-provisionally/",
        views.InviteProvisionallyView.as_view(),
        name="invite_provisionally",
    ),
]
