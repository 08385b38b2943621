"""Public pages in a real Chromium at phone size."""

import datetime as dt

import pytest

from meetings.models import Officer
from tests.factories import DocumentFactory, MeetingFactory, OfficerFactory, StateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _lines_of(page, text: str) -> int:
    """On how many lines ``text`` (its first occurrence in the main part) is drawn: 1 when it is not broken."""
    return page.evaluate(
        """(text) => {
            const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, at = node.textContent.indexOf(text);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
            }
            return 0;
        }""",
        text,
    )


def test_meeting_pages_read_well_on_a_phone(live_server, phone_page):
    meeting = MeetingFactory(
        title="Eleventh Meeting of States Parties to the Convention on Cluster Munitions",
        kind="msp",
        number=11,
        start_date=dt.date.today() + dt.timedelta(days=30),
        room="Room XIX",
    )
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory(name_en="Iraq"))
    DocumentFactory(meeting=meeting, symbol="CCM/MSP/2023/1", title="Provisional agenda")

    phone_page.goto(f"{live_server.url}/meetings/")
    assert phone_page.locator("h1").inner_text() == "Upcoming meetings"
    assert _fits_the_screen(phone_page)

    phone_page.get_by_role("link", name=meeting.title).click()
    phone_page.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert phone_page.locator("h1").inner_text() == meeting.title
    assert "Room XIX" in phone_page.inner_text("main")
    assert "CCM/MSP/2023/1" in phone_page.inner_text("main")
    assert _fits_the_screen(phone_page)
    # The documents table stacks into labelled rows: neither the symbol nor "English" is cut in pieces.
    assert _lines_of(phone_page, "CCM/MSP/2023/1") == 1
    assert _lines_of(phone_page, "English") == 1
    # The way in to registration, and a calendar subscription rather than only a file.
    assert "Sign in to register your delegation" in phone_page.inner_text(".register-panel")
    subscribe = phone_page.get_by_role("link", name="Subscribe", exact=True)
    assert subscribe.get_attribute("href").startswith("webcal://")

    # The filters are usable with the keyboard alone.
    phone_page.goto(f"{live_server.url}/meetings/")
    phone_page.get_by_label("Kind").focus()
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent.trim()") == "Filter"
