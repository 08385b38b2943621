"""A ceiling on request bodies, checked before Django reads one."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat


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
            return HttpResponse(
                f"<!doctype html><title>Too large</title><h1>The upload is too large</h1>"
                f"<p>It is {filesizeformat(length)}; the portal accepts at most {filesizeformat(limit)} at once. "
                "Go back and choose a smaller file.</p>",
                status=413,
            )
        return self.get_response(request)
