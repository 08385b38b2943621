"""Choosing the interface language: the switcher every page carries posts here.

The choice is kept in Django's language cookie (which LocaleMiddleware reads on pages without a language
prefix) and, for a signed-in person, in their profile, from where it is put back into the cookie when they
sign in (ccm_portal.accounts). Pages under a language prefix (/fr/meetings/...) take their language from
the address, so the switcher sends the reader to the same page under the new prefix.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from registration import services as registration_services

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def _safe_next(request: HttpRequest) -> str:
    """Where the reader was: the form's ``next``, else the page that sent them, else the portal's home."""
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@require_POST
def language_set(request: HttpRequest) -> HttpResponseRedirect:
    """Validate the chosen code, remember it, and reopen the same page in that language."""
    next_url = _safe_next(request)
    language = request.POST.get("language", "")
    if language not in LANGUAGE_CODES:
        # In the reader's current language: the code they sent is not one the portal speaks. The words are in
        # a template so that they are translated with the switcher's own, in the root catalogue.
        messages.error(request, render_to_string("_language_refused.txt", request=request).strip())
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        registration_services.profile_language_set(user=request.user, language=language)
    response = HttpResponseRedirect(translate_url(next_url, language))
    language_cookie_set(response, language)
    return response


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Django's language cookie, as LocaleMiddleware reads it on the pages without a language prefix."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
