"""A ceiling on request bodies, checked before Django reads one."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext


class RequestBodyLimitMiddleware:
    """Refuse a body larger than REQUEST_BODY_MAX_BYTES with 413, before any of it is read or stored.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; the largest thing anyone uploads is a PDF of PDF_UPLOAD_MAX_BYTES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            # Before LocaleMiddleware and the session (nothing of the request is read): the browser's language.
            with translation.override(translation.get_language_from_request(request)):
                return HttpResponse(self.refusal(length, limit), status=413)
        return self.get_response(request)

    @staticmethod
    def refusal(length: int, limit: int) -> str:
        language = translation.get_language()
        explanation = gettext(
            "It is %(size)s; the portal accepts at most %(limit)s at once. Go back and choose a smaller file."
        ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
        return (
            f'<!doctype html><html lang="{language}" dir="{"rtl" if translation.get_language_bidi() else "ltr"}">'
            f"<title>{escape(gettext('Too large'))}</title><h1>{escape(gettext('The upload is too large'))}</h1>"
            f"<p>{escape(explanation)}</p>"
        )
