from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from ccm_portal import i18n


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: in production the name carries the manifest's hash, known after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    # Browsers and PDF viewers ask for /favicon.ico whatever the page names; answer with the portal's icon.
    path("favicon.ico", favicon, name="favicon"),
    # The language switcher on every page posts here.
    path("language/", i18n.language_set, name="language_set"),
    path("register/", include("registration.urls")),
    path("obligations/", include("obligations.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
# The public pages carry their language in the address (/fr/meetings/...), so a link can be shared in a
# language. An old address without it (/meetings/...) is redirected by LocaleMiddleware to the reader's
# language (the switcher's cookie, else the browser's Accept-Language), so old links keep working.
urlpatterns += i18n_patterns(path("meetings/", include("meetings.urls")), prefix_default_language=True)
