from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: in production the name carries the manifest's hash, known after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    # Browsers and PDF viewers ask for /favicon.ico whatever the page names; answer with the portal's icon.
    path("favicon.ico", favicon, name="favicon"),
    path("meetings/", include("meetings.urls")),
    path("register/", include("registration.urls")),
    path("obligations/", include("obligations.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
