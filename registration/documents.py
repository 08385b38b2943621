"""The list of participants as a PDF: WeasyPrint with its own stylesheet, not the correspondence one."""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from correspondence.rendering import STATIC_SCHEME, RestrictedFetcher

PARTICIPANTS_STYLESHEET = "registration/participants.css"


@functools.cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    # Parsed once per process, as the notes' stylesheet is.
    source = Path(finders.find(PARTICIPANTS_STYLESHEET)).read_text()
    return CSS(string=source, font_config=_fonts(), url_fetcher=RestrictedFetcher())


def participants_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=STATIC_SCHEME + "/", url_fetcher=RestrictedFetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], font_config=_fonts())
