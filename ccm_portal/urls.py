from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "CCM Portal – Secretariat"
admin.site.site_title = "CCM Portal"
admin.site.index_title = "Treaty meetings, registry and correspondence"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    path("meetings/", include("meetings.urls")),
    path("register/", include("registration.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
