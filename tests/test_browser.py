"""Public pages in a real Chromium at phone size."""

import datetime as dt

import pytest

from meetings.models import Officer
from tests.factories import DocumentFactory, MeetingFactory, OfficerFactory, StateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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

    # The filters are usable with the keyboard alone.
    phone_page.goto(f"{live_server.url}/meetings/")
    phone_page.get_by_label("Kind").focus()
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent.trim()") == "Filter"
