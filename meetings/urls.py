from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("calendar.ics", views.AllMeetingsCalendarView.as_view(), name="calendar"),
    path("documents/<int:pk>.pdf", views.DocumentFileView.as_view(), name="document_file"),
    path("<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", views.MeetingCalendarView.as_view(), name="meeting_calendar"),
]
