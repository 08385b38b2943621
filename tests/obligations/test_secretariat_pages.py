"""The secretariat's Article 7 and Article 14 work as the Secretariat role (not a superuser): the compliance
table with the States behind each count and its exports, and the obligations admin. Refused to everyone else."""

import datetime as dt
import re
import types
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.roles import PRESIDENCY, roles_sync
from obligations import views as obligation_views
from registration.models import FocalPoint
from tests.factories import MeetingFactory, ParticipationFactory, StateFactory, UserFactory, apmbc
from tests.obligations.factories import (
    MeetingCostFactory,
    RateFactory,
    SubmissionFactory,
    delegation,
    read_csv,
    read_xlsx,
)

D = dt.date
AT = D(2013, 6, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The compliance page is read as of 1 June 2013."""
    fixed = types.SimpleNamespace(localdate=lambda *args, **kwargs: AT)
    monkeypatch.setattr(obligation_views, "timezone", fixed)


@pytest.fixture
def world():
    """CCM: Alpha on time throughout; Bravo's initial report late; Charlie sent nothing (initial overdue)."""
    alpha, bravo, charlie = (StateFactory(name_en=name) for name in ("Alpha", "Bravo", "Charlie"))
    ParticipationFactory(state=alpha, deposit_date=D(2009, 3, 18))  # EIF 2010-08-01, initial due 2011-01-28
    SubmissionFactory(state=alpha, received_on=D(2011, 1, 20))
    SubmissionFactory(state=alpha, kind="annual", year_covered=2011, received_on=D(2012, 4, 1))
    SubmissionFactory(state=alpha, kind="annual", year_covered=2012, received_on=D(2013, 4, 2))
    ParticipationFactory(state=bravo, deposit_date=D(2011, 3, 24))  # EIF 2011-09-01, initial due 2012-02-28
    SubmissionFactory(state=bravo, received_on=D(2012, 3, 5))
    ParticipationFactory(state=charlie, deposit_date=D(2011, 5, 20))  # EIF 2011-11-01, initial due 2012-04-29
    ParticipationFactory(treaty=apmbc(), state=alpha, signature_date=D(1997, 12, 3), deposit_date=D(1998, 7, 9))
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie}


def _user(username: str, group: str | None = None, **kwargs):
    roles_sync()
    user = UserFactory(username=username, **kwargs)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def presidency():
    return _user("presidency@example.org", PRESIDENCY, is_staff=True)


@pytest.fixture
def focal_point(world):
    user = _user("focal@example.org")
    FocalPoint.objects.create(user=user, state=world["alpha"], approved_at=dt.datetime(2013, 1, 1, tzinfo=dt.UTC))
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


def words(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


URL = reverse("obligations:compliance")


# --- the compliance table ---------------------------------------------------------------------------------------------


def test_compliance_table_per_year_latest_first(client, secretariat, world):
    response = signed_in(client, secretariat).get(URL)
    assert response.status_code == 200
    assert [r.year for r in response.context["table"]] == [2013, 2012, 2011]
    html = response.content.decode()
    # 2012: Bravo's initial (late), Charlie's initial (overdue), Alpha's annual 2011 (on time): 33.3 % on time.
    row_2012 = re.search(r"<th scope=\"row\">2012</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)</a>", row_2012) == ["3", "1", "1", "1", "0"]
    assert "33.3 %" in row_2012
    assert "show=late#detail" in row_2012
    page = words(response)
    assert "Overdue initial reports (1)" in page
    assert "Charlie 1 Nov 2011 29 Apr 2012 398" in page


def test_the_states_behind_a_count(client, secretariat, world):
    response = signed_in(client, secretariat).get(URL, {"treaty": "CCM", "year": "2012", "show": "late"})
    page = words(response)
    assert "Reports due in 2012, submitted late (1)" in page
    assert "Bravo Initial report 28 Feb 2012 5 Mar 2012 Submitted late" in page
    assert [row.state.name_en for row in response.context["detail"]] == ["Bravo"]

    owed = signed_in(client, secretariat).get(URL, {"treaty": "CCM", "year": "2012", "show": "owed"})
    assert [row.state.name_en for row in owed.context["detail"]] == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize("query", [{"year": "1990", "show": "late"}, {"year": "2012", "show": "drop table"}])
def test_unknown_year_or_column_shows_no_detail(client, secretariat, world, query):
    response = signed_in(client, secretariat).get(URL, {"treaty": "CCM", **query})
    assert response.status_code == 200
    assert "detail" not in response.context


def test_other_treaty_and_unknown_treaty(client, secretariat, world):
    signed_in(client, secretariat)
    apmbc_page = client.get(URL, {"treaty": "APMBC"})
    assert apmbc_page.context["treaty"].code == "APMBC"
    assert client.get(URL, {"treaty": "XYZ"}).status_code == 404


def test_exports(client, secretariat, world):
    signed_in(client, secretariat)
    csv = client.get(URL, {"treaty": "CCM", "format": "csv"})
    assert csv["Content-Type"] == "text/csv"
    assert csv["Content-Disposition"] == 'attachment; filename="article7-compliance-CCM-2013-06-01.csv"'
    rows = read_csv(csv.content)
    assert [row["Year due"] for row in rows] == ["2011", "2012", "2013"]

    xlsx = client.get(URL, {"treaty": "CCM", "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    assert len(read_xlsx(xlsx.content)) == 3
    assert client.get(URL, {"treaty": "CCM", "format": "pdf"}).status_code == 404


def test_compliance_is_for_the_secretariat_only(client, world, presidency, focal_point):
    assert client.get(URL).status_code == 302  # anonymous: to the sign-in page
    for user in (presidency, focal_point):
        signed_in(client, user)
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"format": "csv"}).status_code == 403


def test_compliance_query_count_does_not_grow_with_states(client, secretariat, world):
    signed_in(client, secretariat)
    query = {"treaty": "CCM", "year": "2012", "show": "owed"}
    client.get(URL, query)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, query)
    for i in range(40):
        state = StateFactory(name_en=f"Extra {i:02d}")
        ParticipationFactory(state=state, deposit_date=D(2011, 3, 24))
        SubmissionFactory(state=state, received_on=D(2012, 2, 1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, query)
    assert len(response.context["detail"]) == 43
    assert len(large) == len(small)


# --- the obligations admin as the Secretariat role --------------------------------------------------------------------

MODELS = ["reportsubmission", "reminderstage", "assessmentrate", "meetingcost"]


@pytest.mark.parametrize("model", [*MODELS, "remindersent"])
def test_secretariat_works_in_the_obligations_admin(client, secretariat, model):
    signed_in(client, secretariat)
    assert client.get(reverse(f"admin:obligations_{model}_changelist")).status_code == 200
    expected_add = 403 if model == "remindersent" else 200  # the log is written by the reminder service only
    assert client.get(reverse(f"admin:obligations_{model}_add")).status_code == expected_add


@pytest.mark.parametrize("model", [*MODELS, "remindersent"])
def test_presidency_does_not(client, presidency, model):
    signed_in(client, presidency)
    assert client.get(reverse(f"admin:obligations_{model}_changelist")).status_code == 403


def test_secretariat_records_a_report(client, secretariat, world):
    signed_in(client, secretariat)
    response = client.post(
        reverse("admin:obligations_reportsubmission_add"),
        {
            "treaty": world["charlie"].participations.get().treaty_id,
            "state": world["charlie"].pk,
            "kind": "initial",
            "year_covered": "",
            "received_on": "2013-05-30",
            "language": "en",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert world["charlie"].report_submissions.count() == 1


def test_dry_run_and_cost_shares_open_for_the_secretariat_only(client, secretariat, presidency):
    meeting = MeetingFactory(title="Meeting with costs", slug="costs")
    state = StateFactory(name_en="Payland")
    RateFactory(state=state, first_year=meeting.start_date.year, last_year=meeting.start_date.year)
    delegation(meeting=meeting, state=state)
    MeetingCostFactory(meeting=meeting, total="1000.00")
    dry_run = reverse("admin:obligations_reminder_dry_run")
    shares = reverse("obligations:cost_shares", args=[meeting.slug])

    signed_in(client, secretariat)
    response = client.get(dry_run, {"date": "2026-12-03"})
    assert response.status_code == 200
    assert "Reminders that would be sent on 3 December 2026" in words(response)
    assert client.get(shares).status_code == 200
    assert "1,000.00" in words(client.get(shares))

    signed_in(client, presidency)
    assert client.get(dry_run).status_code == 403
    assert client.get(shares).status_code == 403
