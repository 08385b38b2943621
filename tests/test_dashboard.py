"""The secretariat dashboard: the admin index, as a secretariat officer sees it on 15 June 2026.

The world (CCM):
- Arcadia, Borduria, Carpathia: States Parties since 2011, initial reports in; for 2025 Arcadia reported on
  time, Borduria late, Carpathia not at all.
- Dorado: initial report due 1 March 2026, not received (overdue). Estland: initial report due 1 July 2026.
- Signatoria signed only; Outsideland is not party.
- 16MSP opens 20 July 2026, registration deadline 5 July; four delegations, one in each category.
"""

import datetime as dt
import re
import time
import types

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccm_portal import admin_site
from ccm_portal.accounts import AccountAdapter
from common.roles import PRESIDENCY, roles_sync
from correspondence.models import Form, Note, NoteCopy, Office
from meetings.models import Meeting
from obligations import views as obligation_views
from obligations.models import ReportSubmission
from registration.models import Credentials, Delegation, FocalPoint
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    StateFactory,
    UserFactory,
    ccm,
    totp_code,
)
from treaties.models import Participation, State

D = dt.date
TODAY = D(2026, 6, 15)
PASSWORD = "correct horse battery staple"  # UserFactory's

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The dashboard (and the compliance page) are read as of 15 June 2026."""
    fixed = types.SimpleNamespace(**{**vars(timezone), "localdate": lambda *args, **kwargs: TODAY})
    monkeypatch.setattr(admin_site, "timezone", fixed)
    monkeypatch.setattr(obligation_views, "timezone", fixed)  # the compliance page its counts link to


def _office(name: str, code: str, **kwargs) -> Office:
    return Office.objects.create(
        name=name,
        code=code,
        kind=kwargs.pop("kind", Office.Kind.SECRETARIAT),
        letterhead_lines=name,
        city="Geneva",
        reference_pattern="{code}/{yyyy}/{seq:03}",
        **kwargs,
    )


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _initial_in(state):
    ReportSubmission.objects.create(state=state, treaty=ccm(), kind="initial", received_on=D(2012, 1, 10))


def _annual(state, year, received_on):
    ReportSubmission.objects.create(
        state=state, treaty=ccm(), kind="annual", year_covered=year, received_on=received_on
    )


def _issued_note(office, user, *, seq: int, subject: str = "Invitation") -> Note:
    return Note.objects.create(
        office=office,
        treaty=ccm(),
        form=Form.NOTE_VERBALE,
        subject=subject,
        body="{{ opening }}\n\n{{ closing }}",
        created_by=user,
        issued_by=user,
        status=Note.Status.ISSUED,
        year=2026,
        seq=seq,
        reference=f"{office.code}/2026/{seq:03d}",
        issue_date=D(2026, 6, 1),
        issued_at=timezone.now(),
    )


@pytest.fixture
def world(secretariat):
    states = {}
    for name in ("Arcadia", "Borduria", "Carpathia"):
        states[name] = StateFactory(name_en=name)
        ParticipationFactory(state=states[name])  # in force 1 September 2011
        _initial_in(states[name])
    _annual(states["Arcadia"], 2025, D(2026, 4, 20))  # on time
    _annual(states["Borduria"], 2025, D(2026, 5, 10))  # late
    states["Dorado"] = StateFactory(name_en="Dorado")
    ParticipationFactory(
        state=states["Dorado"],
        deposit_date=D(2025, 3, 10),
        entry_into_force_override=D(2025, 9, 2),
        initial_report_due_override=D(2026, 3, 1),
    )
    states["Estland"] = StateFactory(name_en="Estland")
    ParticipationFactory(
        state=states["Estland"],
        deposit_date=D(2025, 7, 20),
        entry_into_force_override=D(2026, 1, 2),
        initial_report_due_override=D(2026, 7, 1),
    )
    states["Signatoria"] = StateFactory(name_en="Signatoria")
    ParticipationFactory(state=states["Signatoria"], deposit_date=None, instrument="")
    states["Outsideland"] = StateFactory(name_en="Outsideland")

    msp = MeetingFactory(
        title="Sixteenth Meeting of States Parties",
        slug="16msp",
        kind=Meeting.Kind.MSP,
        number=16,
        start_date=D(2026, 7, 20),
        end_date=D(2026, 7, 23),
        registration_opens=D(2026, 6, 1),
        registration_deadline=D(2026, 7, 5),
    )
    later = MeetingFactory(
        title="Intersessional meetings 2026",
        slug="intersessional-2026",
        start_date=D(2026, 10, 5),
        end_date=D(2026, 10, 7),
        registration_deadline=D(2026, 8, 1),  # beyond 30 days
    )
    MeetingFactory(title="Past briefing", slug="past", start_date=D(2026, 5, 4), end_date=D(2026, 5, 4))
    MeetingFactory(
        title="Cancelled workshop",
        slug="cancelled",
        status=Meeting.Status.CANCELLED,
        start_date=D(2026, 6, 30),
        end_date=D(2026, 7, 1),
        registration_deadline=D(2026, 6, 20),
    )

    focal = UserFactory(username="focal@example.org")
    delegations = {
        "Arcadia": Delegation.objects.create(
            meeting=msp, state=states["Arcadia"], status=Delegation.Status.APPROVED, created_by=focal
        ),
        "Signatoria": Delegation.objects.create(
            meeting=msp, state=states["Signatoria"], status=Delegation.Status.APPROVED, created_by=focal
        ),
        "Outsideland": Delegation.objects.create(
            meeting=msp, state=states["Outsideland"], status=Delegation.Status.SUBMITTED, created_by=focal
        ),
        "MAW": Delegation.objects.create(
            meeting=msp, organisation=OrganisationFactory(name="Mine Action Watch", acronym="MAW"), created_by=focal
        ),
    }
    Credentials.objects.create(
        delegation=delegations["Arcadia"], file="credentials/2026/arcadia.pdf", sha256="a" * 64, uploaded_by=focal
    )
    Credentials.objects.create(
        delegation=delegations["Signatoria"],
        file="credentials/2026/signatoria.pdf",
        sha256="b" * 64,
        uploaded_by=focal,
        status=Credentials.Status.IN_ORDER,
    )

    office = _office("Office for Disarmament Affairs (Geneva)", "ODA")
    note = _issued_note(office, secretariat, seq=1)
    NoteCopy.objects.create(
        note=note,
        addressee_key="state:XBO",
        addressee_name="Permanent Mission of Borduria",
        state=states["Borduria"],
        emails="mission.borduria@example.org",
        delivery=NoteCopy.Delivery.EMAIL,
        status=NoteCopy.Status.FAILED,
        last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
    )
    NoteCopy.objects.create(
        note=note,
        addressee_key="state:XAR",
        addressee_name="Permanent Mission of Arcadia",
        delivery=NoteCopy.Delivery.BY_HAND,
        status=NoteCopy.Status.BY_HAND,
    )
    return types.SimpleNamespace(states=states, msp=msp, later=later, delegations=delegations, note=note)


# --- what the secretariat sees ------------------------------------------------------------------------------------


def counts(found: list) -> dict[str, int]:
    return {c.label: c.count for c in found}


def test_dashboard_panels(secretariat_client, world):
    response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    board = response.context["dashboard"]
    html = response.content.decode()
    assert board.today == TODAY
    assert 'id="dashboard"' in html
    assert "Monday 15 June 2026 · Geneva" in html

    # What waits for the secretariat.
    assert counts(board.attention) == {
        "Delegations to review": 1,
        "Credentials to examine": 1,
        "Focal point requests": 0,
        "Failed note copies": 1,
        "Failed e-mails": 0,
        "Overdue initial reports": 1,
    }

    # Upcoming meetings, with registrations by category and by status.
    assert [panel.meeting for panel in board.meetings] == [world.msp, world.later]
    msp = board.meetings[0]
    assert msp.total.count == 4
    assert counts(msp.by_category) == {
        "States Parties": 1,
        "Signatory States": 1,
        "Observer States": 1,
        "Organisations": 1,
    }
    assert counts(msp.by_status) == {"Submitted": 1, "Returned": 0, "Approved": 2, "Draft": 1}
    assert set(counts(board.meetings[1].by_category).values()) == {0}
    assert "16MSP – Sixteenth Meeting of States Parties" in html
    headers = re.findall(r'<th scope="col" class="num[^"]*">([^<]+)</th>', html)
    labels = ["States Parties", "Signatory States", "Observer States", "Organisations"]
    assert headers[:8] == [*labels, "Submitted", "Returned", "Approved", "Draft"]
    assert reverse("obligations:cost_shares", args=[world.msp.slug]) in html
    assert reverse("registration:participants", args=[world.msp.slug]) in html
    assert "Past briefing" not in html and "Cancelled workshop" not in html

    # Credentials waiting for review: Arcadia's, not Signatoria's (already in order); each opens the review screen.
    assert [c.delegation for c in board.credentials_pending] == [world.delegations["Arcadia"]]
    assert "Credentials waiting for review (1)" in html
    assert reverse("admin:registration_delegation_change", args=[world.delegations["Arcadia"].pk]) in html
    assert "Signatoria" not in html.split("Credentials waiting for review")[1].split("Failed dispatches")[0]

    # Failed dispatches.
    assert [copy.addressee_name for copy in board.failed_copies] == ["Permanent Mission of Borduria"]
    assert "Failed dispatches (1)" in html
    assert "ODA/2026/001" in html and "550 5.1.1 mailbox unavailable" in html
    assert reverse("admin:correspondence_note_change", args=[world.note.pk]) in html

    # The secretariat's other work is one click away.
    for url in (
        reverse("obligations:compliance"),
        reverse("admin:obligations_reminder_dry_run"),
        reverse("admin:obligations_reportsubmission_add"),
    ):
        assert f'href="{url}"' in html


def test_every_count_links_to_the_list_behind_it(secretariat_client, world):
    """Following a count shows exactly as many rows as the count said."""
    board = secretariat_client.get("/admin/").context["dashboard"]
    admin_counts = [*board.attention[:5], *(c for p in board.meetings for c in (p.total, *p.by_category, *p.by_status))]
    assert len(admin_counts) == 5 + 2 * 9
    for count in admin_counts:
        response = secretariat_client.get(count.url)
        assert response.status_code == 200, count
        assert response.context["cl"].result_count == count.count, count

    for panel in board.article7:
        for count in panel.counts:
            response = secretariat_client.get(count.url)
            assert response.status_code == 200, count
            assert len(response.context["detail"]) == count.count, count
    overdue = board.attention[5]
    response = secretariat_client.get(overdue.url)
    assert len(response.context["overdue"]) == overdue.count


def test_dashboard_article7_this_year_and_overdue_initial_reports(secretariat_client, world):
    response = secretariat_client.get("/admin/")
    board = response.context["dashboard"]
    assert [r.treaty.code for r in board.reporting] == ["APMBC", "CCM"]
    apmbc_row, ccm_row = board.reporting
    # Due in 2026: the annual reports covering 2025 (on time, late, overdue) and two initial reports
    # (Dorado's overdue, Estland's not yet due).
    year = ccm_row.this_year
    assert (year.year, year.owed, year.on_time, year.late, year.overdue, year.pending) == (2026, 5, 1, 1, 2, 1)
    assert str(year.on_time_rate) == "25.0"
    assert [(row.state.name_en, row.due) for row in ccm_row.overdue_initial] == [("Dorado", D(2026, 3, 1))]
    assert apmbc_row.this_year.owed == 0 and apmbc_row.overdue_initial == []

    html = response.content.decode()
    assert "Article 7 reports due in 2026" in html
    ccm_html = re.search(r'<th scope="row">CCM</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r">(\d+)</a>", ccm_html) == ["5", "1", "1", "2", "1"]
    assert "25.0 %" in ccm_html
    assert "compliance/?treaty=CCM&amp;year=2026&amp;show=late#detail" in ccm_html
    assert re.search(r"Dorado <span[^>]*>CCM, due 1 Mar 2026</span>", html)
    apmbc_html = re.search(r'<th scope="row">APMBC</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r">(\d+)</a>", apmbc_html) == ["0", "0", "0", "0", "0"] and "—" in apmbc_html


def test_dashboard_reads_like_the_compliance_table(secretariat_client, world):
    """The dashboard's fast count of this year agrees with the full table's row for this year."""
    from obligations.selectors import compliance_table

    board = secretariat_client.get("/admin/").context["dashboard"]
    for overview in board.reporting:
        full = [row for row in compliance_table(treaty=overview.treaty, at=TODAY) if row.year == TODAY.year]
        assert [overview.this_year] == (full or [overview.this_year])


def test_dashboard_deadlines_in_the_next_30_days(secretariat_client, world):
    response = secretariat_client.get("/admin/")
    board = response.context["dashboard"]
    assert [(d.day, d.what, d.url) for d in board.deadlines] == [
        (D(2026, 7, 1), "Estland: CCM Article 7 initial report", ""),
        (
            D(2026, 7, 5),
            "16MSP – Sixteenth Meeting of States Parties: registration deadline",
            world.msp.get_absolute_url(),
        ),
    ]
    html = response.content.decode()
    assert "Deadlines in the next 30 days (2)" in html
    assert "Wed 1 Jul 2026" in html and "Sun 5 Jul 2026" in html
    # The later meeting's deadline (1 August), the opening of registration already past, and the cancelled
    # meeting's deadline are not listed.
    assert "Intersessional meetings 2026: registration deadline" not in html
    assert "registration opens" not in html
    assert "Cancelled workshop" not in html


def test_deadlines_include_the_last_day_of_the_horizon(secretariat_client, world):
    world.later.registration_deadline = TODAY + dt.timedelta(days=30)
    world.later.save()
    board = secretariat_client.get("/admin/").context["dashboard"]
    assert (TODAY + dt.timedelta(days=30), "Intersessional meetings 2026: registration deadline") in [
        (d.day, d.what) for d in board.deadlines
    ]


def test_empty_dashboard(secretariat_client):
    response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No upcoming meeting." in html
    assert "Nothing falls due in the next 30 days." in html
    assert "Credentials waiting for review (0)" in html and "Failed dispatches (0)" in html


def test_superuser_sees_the_dashboard(admin_client, world):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response.context["dashboard"].meetings


def test_presidency_staff_see_no_dashboard(client, world):
    roles_sync()
    user = UserFactory(username="presidency@example.org", is_staff=True)  # with TOTP
    user.groups.add(Group.objects.get(name=PRESIDENCY))
    _office("Permanent Mission of Presidia", "PRE", kind=Office.Kind.PRESIDENCY, state=StateFactory()).members.add(user)
    client.force_login(user)

    response = client.get("/admin/")
    assert response.status_code == 200
    assert "dashboard" not in response.context
    html = response.content.decode()
    assert 'id="dashboard"' not in html
    for panel in ("Upcoming meetings", "Credentials waiting for review", "Failed dispatches", "Article 7 reports"):
        assert panel not in html
    assert 'id="presidency-home"' in html  # their own first page instead (templates/admin/_presidency_home.html)


# --- query count --------------------------------------------------------------------------------------------------


def _letters(i: int) -> str:
    return chr(65 + i // 26) + chr(65 + i % 26)


def _add_states(start: int, stop: int, *, meeting, note, user) -> None:
    """States Parties added in bulk, each with a participation, reports, a delegation, credentials and a copy.

    A mix: every third State's 2025 report is late, every fourth is missing, every fifth is a recent party
    whose initial report is overdue, every seventh one whose initial report falls due within 30 days.
    """
    states = State.objects.bulk_create(
        State(
            iso2=_letters(i),
            iso3=f"Q{_letters(i)}",
            iso_numeric=f"{i:03d}",
            name_en=f"Bulkland {i:03d}",
            name_fr=f"Terre {i:03d}",
        )
        for i in range(start, stop)
    )
    treaty = ccm()
    participations, reports = [], []
    for i, state in zip(range(start, stop), states, strict=True):
        if i % 5 == 0:
            participations.append(
                Participation(
                    treaty=treaty,
                    state=state,
                    deposit_date=D(2025, 3, 1),
                    instrument="accession",
                    entry_into_force_override=D(2025, 9, 1),
                    initial_report_due_override=D(2026, 2, 28),
                )
            )
            continue
        if i % 7 == 0:
            participations.append(
                Participation(
                    treaty=treaty,
                    state=state,
                    deposit_date=D(2025, 7, 1),
                    instrument="accession",
                    entry_into_force_override=D(2026, 1, 1),
                    initial_report_due_override=D(2026, 7, 1),
                )
            )
            continue
        participations.append(
            Participation(
                treaty=treaty,
                state=state,
                signature_date=D(2008, 12, 3),
                deposit_date=D(2011, 3, 24),
                instrument="ratification",
            )
        )
        reports.append(ReportSubmission(state=state, treaty=treaty, kind="initial", received_on=D(2012, 1, 10)))
        if i % 4:
            received = D(2026, 5, 20) if i % 3 == 0 else D(2026, 4, 2)
            reports.append(
                ReportSubmission(state=state, treaty=treaty, kind="annual", year_covered=2025, received_on=received)
            )
    Participation.objects.bulk_create(participations)
    ReportSubmission.objects.bulk_create(reports)
    delegations = Delegation.objects.bulk_create(
        Delegation(
            meeting=meeting,
            state=state,
            status=Delegation.Status.APPROVED if i % 2 else Delegation.Status.SUBMITTED,
            created_by=user,
        )
        for i, state in zip(range(start, stop), states, strict=True)
    )
    Credentials.objects.bulk_create(
        Credentials(delegation=d, file=f"credentials/2026/{d.pk}.pdf", sha256="c" * 64, uploaded_by=user)
        for d in delegations
    )
    NoteCopy.objects.bulk_create(
        NoteCopy(
            note=note,
            addressee_key=f"state:{state.iso3}",
            addressee_name=f"Permanent Mission of {state.name_en}",
            state=state,
            emails=f"mission.{state.iso3.lower()}@example.org",
            delivery=NoteCopy.Delivery.EMAIL,
            status=NoteCopy.Status.FAILED,
            last_error="Delivery uncertain",
        )
        for state in states
    )


def test_same_number_of_queries_with_5_and_200_states(secretariat_client, secretariat):
    meetings = [
        MeetingFactory(
            title=f"Meeting {n}",
            slug=f"meeting-{n}",
            start_date=TODAY + dt.timedelta(days=20 + 10 * n),
            end_date=TODAY + dt.timedelta(days=22 + 10 * n),
            registration_deadline=TODAY + dt.timedelta(days=10 + 10 * n),
        )
        for n in range(3)
    ]
    note = _issued_note(_office("Office for Disarmament Affairs (Geneva)", "ODA"), secretariat, seq=1)
    secretariat_client.get("/admin/")  # warm the caches (content types, site)

    _add_states(0, 5, meeting=meetings[0], note=note, user=secretariat)
    with CaptureQueriesContext(connection) as small:
        response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert sum(counts(board.meetings[0].by_category).values()) == 5
    assert board.credentials_pending_count == 5 and board.failed_copies_count == 5

    _add_states(5, 200, meeting=meetings[0], note=note, user=secretariat)
    with CaptureQueriesContext(connection) as large:
        response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert counts(board.meetings[0].by_category)["States Parties"] == 200
    assert board.credentials_pending_count == 200 and len(board.credentials_pending) == 10
    assert board.failed_copies_count == 200 and len(board.failed_copies) == 10
    ccm_row = next(r for r in board.reporting if r.treaty.code == "CCM")
    assert len(ccm_row.overdue_initial) == 40  # every fifth State
    assert ccm_row.this_year.owed == 200
    assert len([d for d in board.deadlines if "Article 7" in d.what]) == len(range(7, 200, 7)) - len(range(35, 200, 35))

    assert len(large.captured_queries) == len(small.captured_queries), "\n".join(
        q["sql"] for q in large.captured_queries
    )
    assert len(small.captured_queries) < 40


def test_same_number_of_queries_with_1_and_1000_meetings(secretariat_client, secretariat):
    """The benchmark's large data: a thousand meetings, past and to come, some with delegations."""
    state = StateFactory(name_en="Arcadia")
    ParticipationFactory(state=state)
    secretariat_client.get("/admin/")

    def meetings(start: int, stop: int) -> list[Meeting]:
        return Meeting.objects.bulk_create(
            Meeting(
                treaty=ccm(),
                kind=Meeting.Kind.COORDINATION,
                title=f"Coordination Committee {n}",
                slug=f"coordination-{n}",
                start_date=TODAY + dt.timedelta(days=n - 500),
                end_date=TODAY + dt.timedelta(days=n - 500),
                registration_deadline=TODAY + dt.timedelta(days=n - 510),
            )
            for n in range(start, stop)
        )

    first = meetings(500, 501)
    Delegation.objects.create(meeting=first[0], state=state, created_by=secretariat)
    with CaptureQueriesContext(connection) as one:
        board = secretariat_client.get("/admin/").context["dashboard"]
    assert len(board.meetings) == 1

    many = meetings(0, 500) + meetings(501, 1000)
    Delegation.objects.bulk_create(
        Delegation(meeting=meeting, state=state, created_by=secretariat) for meeting in many[::7]
    )
    with CaptureQueriesContext(connection) as thousand:
        board = secretariat_client.get("/admin/").context["dashboard"]
    assert len(board.meetings) == 8
    assert len([d for d in board.deadlines if "registration deadline" in d.what]) == 31
    assert len(thousand.captured_queries) == len(one.captured_queries), "\n".join(
        q["sql"] for q in thousand.captured_queries
    )


# --- where staff land after signing in ----------------------------------------------------------------------------


@pytest.fixture
def private_cache(settings):
    """allauth keeps rate-limit counters and used TOTP codes in the cache: keep them to this test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dash"}}
    cache.clear()
    yield
    cache.clear()


def _fresh_totp_code() -> str:
    """The current code, taken early enough in its 30-second window to be accepted when it arrives."""
    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_code()


def test_staff_land_on_the_dashboard_after_signing_in_with_totp(client, secretariat, world, private_cache):
    EmailAddress.objects.create(user=secretariat, email=secretariat.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": secretariat.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _fresh_totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"

    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert 'id="dashboard"' in dashboard.content.decode()


def test_login_redirect_by_role(secretariat, world):
    focal = UserFactory(username="focal.point@example.org")
    FocalPoint.objects.create(user=focal, state=world.states["Arcadia"], approved_at=timezone.now())
    adapter = AccountAdapter()
    for user, expected in [(secretariat, "/admin/"), (focal, "/register/")]:
        request = RequestFactory().get("/accounts/login/")
        request.user = user
        assert adapter.get_login_redirect_url(request) == expected


def test_focal_point_lands_on_registrations(client, world, private_cache):
    focal = UserFactory(username="focal.point@example.org")
    EmailAddress.objects.create(user=focal, email=focal.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": focal.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/register/"
