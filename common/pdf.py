"""HTML to PDF with WeasyPrint, for every document the portal prints (notes, the list of participants).

WeasyPrint is expensive to set up: each stylesheet and the font configuration are parsed once per
process and reused for every document a worker renders. A document may fetch nothing but data: URIs
and the project's own static files (``static:`` URLs): never file://, http:// or a path outside static.
"""

import functools
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"


class FetchRefused(ValueError):
    pass


class RestrictedFetcher(URLFetcher):
    """Only data: URIs and the project's own static files; never file://, http:// or a path outside static."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_SCHEME):
            return static_response(url)
        raise FetchRefused(f"Refused to fetch {url!r}: only data: URIs and static: files are allowed.")


def static_response(url: str) -> URLFetcherResponse:
    path = unquote(urlsplit(url).path).lstrip("/")
    normalised = posixpath.normpath(path)
    if not path or normalised.startswith("..") or normalised != path or "\\" in path:
        raise FetchRefused(f"Refused static path {path!r}.")
    found = finders.find(normalised)
    if not found:
        raise FetchRefused(f"No static file {normalised!r}.")
    return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mimetypes.guess_type(found)[0] or ""})


@functools.cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet(static_path: str) -> CSS:
    source = Path(finders.find(static_path)).read_text()
    return CSS(string=source, font_config=_fonts(), url_fetcher=RestrictedFetcher())


def html_to_pdf(html: str, *, stylesheet: str, pdf_variant: str | None = None) -> bytes:
    """``stylesheet`` is a static path ("correspondence/note.css"); ``pdf_variant`` e.g. "pdf/a-3b"."""
    document = HTML(string=html, base_url=STATIC_SCHEME + "/", url_fetcher=RestrictedFetcher())
    return document.write_pdf(stylesheets=[_stylesheet(stylesheet)], font_config=_fonts(), pdf_variant=pdf_variant)
