from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    path("meetings/", include("meetings.urls")),
    path("register/", include("registration.urls")),
    path("obligations/", include("obligations.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
