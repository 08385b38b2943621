"""The list of participants as a PDF: its own stylesheet, not the correspondence one."""

from common.pdf import html_to_pdf

PARTICIPANTS_STYLESHEET = "registration/participants.css"


def participants_pdf(html: str) -> bytes:
    return html_to_pdf(html, stylesheet=PARTICIPANTS_STYLESHEET)
