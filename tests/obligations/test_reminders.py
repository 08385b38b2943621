"""Article 7 reminders: notes verbales issued through correspondence, each at most once per obligation and stage.

The world: three CCM States Parties (entry into force 1 September 2011) with a Geneva mission each, one of
them also with a New York mission; a secretariat office in Geneva that issues without approval, another
that requires a second person's approval. On 31 March 2026 the annual report covering 2025 (due
30 April 2026) is still due from every State.
"""

import datetime as dt
import io
import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from ccm_portal.celery import app as celery_app
from common.dates import long_date
from common.roles import SECRETARIAT, roles_sync
from correspondence import tasks as correspondence_tasks
from correspondence.models import Note, NoteCopy, Office
from obligations import rules, wording
from obligations.models import ReminderLanguage, ReminderSent, ReminderStage, ReminderWording
from obligations.selectors import annual_reminder_days, obligation_statuses, reminders_planned
from obligations.services import reminders_send
from obligations.tasks import task_send_reminders
from tests.factories import MissionFactory, ParticipationFactory, StateFactory, UserFactory, ccm
from tests.obligations.factories import SubmissionFactory

D = dt.date
AT = D(2026, 3, 31)  # 30 days before 30 April 2026
DUE = D(2026, 4, 30)  # the annual report covering 2025

BODY = (
    "{{ opening }} recall that under Article 7 of the [TREATY], the [REPORT] is due by [DUE_DATE].\n\n"
    "Year covered: [YEAR].\n\n{{ closing }}"
)
NEW_YORK = "newyork.xbo@example.org"
OVERDUE_BODY = "{{ opening }} recall that the [REPORT] was due by [DUE_DATE].\n\n{{ closing }}"


# --- the world ------------------------------------------------------------------------------------------------------


def _office(name: str, code: str, *, requires_approval: bool) -> Office:
    return Office.objects.create(
        name=name,
        code=code,
        kind=Office.Kind.SECRETARIAT,
        letterhead_lines=f"UNITED NATIONS\n{name}",
        city="Geneva",
        email=f"{code.lower()}@example.org",
        reference_pattern="{code}/{yyyy}/{seq:03}",
        requires_approval=requires_approval,
    )


@pytest.fixture
def office(db):
    return _office("Office for Disarmament Affairs (Geneva)", "ODA", requires_approval=False)


@pytest.fixture
def approval_office(db):
    return _office("Implementation Support Unit", "ISU", requires_approval=True)


def _secretariat_user(username: str):
    roles_sync()
    user = UserFactory(username=username, is_staff=True)  # staff: UserFactory gives a TOTP authenticator
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def officer(db):
    """The secretariat officer in whose name reminders go out."""
    return _secretariat_user("officer@example.org")


@pytest.fixture
def approver(db):
    """A second secretariat officer who approved the wording of a stage."""
    return _secretariat_user("chief@example.org")


def party(name: str, iso3: str, **participation):
    state = StateFactory(name_en=name, iso3=iso3)
    MissionFactory(state=state, emails=f"mission.{iso3.lower()}@example.org")
    ParticipationFactory(state=state, **participation)
    return state


@pytest.fixture
def parties(db):
    """Three States Parties with Geneva missions; Borduria also has a New York mission that must not be used."""
    states = [party("Arcadia", "XAR"), party("Borduria", "XBO"), party("Carpathia", "XCA")]
    MissionFactory(state=states[1], city="New York", name="Permanent Mission of Borduria in New York", emails=NEW_YORK)
    return states


def make_stage(office, issued_by, **kwargs) -> ReminderStage:
    values = {
        "code": "before-30",
        "label": "30 days before the due date",
        "kind": ReminderStage.Kind.BEFORE_DUE,
        "days": 30,
        "body": BODY,
    }
    values.update(kwargs)
    return ReminderStage.objects.create(office=office, issued_by=issued_by, **values)


@pytest.fixture
def stage(office, officer):
    return make_stage(office, officer)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """reminders_send, and then what its transactions queue on commit (the dispatch of every copy)."""

    def send(at: dt.date) -> list[ReminderSent]:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(at=at)

    return send


def mission_email(state) -> str:
    return f"mission.{state.iso3.lower()}@example.org"


# --- sending on the right day, to the right mission ---------------------------------------------------------------


@pytest.mark.django_db
def test_one_note_verbale_per_state_to_its_geneva_mission(parties, stage, officer, send):
    sent = send(AT)

    assert len(sent) == 3
    assert ReminderSent.objects.count() == 3
    assert Note.objects.count() == 3
    for state in parties:
        record = ReminderSent.objects.get(state=state)
        assert (record.stage, record.treaty, record.kind, record.year_covered) == (stage, ccm(), "annual", 2025)
        note = record.note
        assert note.status == Note.Status.ISSUED
        assert (note.office, note.created_by, note.issued_by, note.issue_date) == (stage.office, officer, officer, AT)
        assert note.form == "note_verbale"
        assert note.reference.startswith("ODA/2026/")
        assert list(note.addressee_states.all()) == [state]
        assert note.subject == "Article 7 report: annual report covering 2025"
        assert "the annual report covering 2025 is due by 30 April 2026" in note.body
        assert "Convention on Cluster Munitions" in note.body
        assert "Year covered: 2025." in note.body
        assert "[" not in note.body  # every placeholder filled in
        copy = note.copies.get()  # one copy: the State's mission, nobody else
        assert copy.addressee_key == f"state:{state.iso3}"
        assert copy.mission == state.missions.get(city="Geneva")
        assert copy.email_list == [mission_email(state)]
        assert copy.status == NoteCopy.Status.SENT
    assert len({r.note.reference for r in sent}) == 3

    assert len(mail.outbox) == 3
    by_address = {tuple(message.to): message for message in mail.outbox}
    assert set(by_address) == {(mission_email(state),) for state in parties}
    for state in parties:
        message = by_address[(mission_email(state),)]
        assert "annual report covering 2025" in message.subject
        assert "30 April 2026" in message.body
        assert f"Permanent Mission of {state.name_en}" in message.body
        assert message.attachments[0][2] == "application/pdf"
    assert not any(NEW_YORK in message.to for message in mail.outbox)


@pytest.mark.django_db
def test_nothing_before_the_day(parties, stage, send):
    assert send(AT - dt.timedelta(days=1)) == []
    assert (ReminderSent.objects.count(), Note.objects.count(), len(mail.outbox)) == (0, 0, 0)


@pytest.mark.django_db
def test_a_reminder_is_never_sent_twice_however_often_it_runs(parties, stage, send):
    assert len(send(AT)) == 3
    references = set(Note.objects.values_list("reference", flat=True))

    assert send(AT) == []  # the same day again
    assert send(AT + dt.timedelta(days=1)) == []  # the next day, still inside the stage's window
    for _ in range(10):  # beat firing again and again
        assert send(AT) == []
    for days in range(2, 29):  # every later day until the due date
        assert send(AT + dt.timedelta(days=days)) == []

    assert ReminderSent.objects.count() == 3
    assert set(Note.objects.values_list("reference", flat=True)) == references
    assert NoteCopy.objects.count() == 3
    assert len(mail.outbox) == 3
    assert reminders_planned(at=AT) == []


@pytest.mark.django_db
def test_a_missed_day_is_caught_up_within_the_window(parties, stage, send):
    """Beat did not run on the 31st: the reminder still goes on 2 April, once."""
    assert len(send(AT + dt.timedelta(days=2))) == 3
    assert send(AT) == []
    assert ReminderSent.objects.count() == 3


@pytest.mark.django_db
def test_celery_task_sends_once_however_often_beat_fires(office, officer, django_capture_on_commit_callbacks):
    """The task acts on today: here a State whose initial report falls due in 30 days."""
    today = timezone.localdate()
    states = [
        party(name, iso3, entry_into_force_override=today - dt.timedelta(days=150))
        for name, iso3 in (("Arcadia", "XAR"), ("Borduria", "XBO"))
    ]
    make_stage(office, officer, applies_to=ReminderStage.AppliesTo.INITIAL)

    with django_capture_on_commit_callbacks(execute=True):
        first = task_send_reminders.apply().get()
        later = [task_send_reminders.delay().get() for _ in range(10)]
        direct = task_send_reminders()

    assert first == 2
    assert later == [0] * 10 and direct == 0
    assert set(ReminderSent.objects.values_list("state", "kind", "year_covered")) == {
        (s.pk, "initial", 0) for s in states
    }
    assert Note.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [mission_email(s) for s in states]
    note = ReminderSent.objects.get(state=states[0]).note
    assert note.issue_date == today
    assert "the initial report is due by" in note.body


@pytest.mark.django_db
def test_state_that_submitted_its_report_gets_no_reminder(parties, stage, send):
    arcadia, borduria, carpathia = parties
    SubmissionFactory(state=arcadia, kind="annual", year_covered=2025, received_on=D(2026, 3, 2))
    # Borduria sent the wrong year: the report covering 2025 is still due.
    SubmissionFactory(state=borduria, kind="annual", year_covered=2024, received_on=D(2025, 4, 1))

    sent = send(AT)

    assert sorted(r.state.name_en for r in sent) == ["Borduria", "Carpathia"]
    assert {tuple(m.to) for m in mail.outbox} == {(mission_email(borduria),), (mission_email(carpathia),)}


@pytest.mark.django_db
def test_stage_applies_to_one_kind_of_report(parties, office, officer, send):
    make_stage(office, officer, applies_to=ReminderStage.AppliesTo.INITIAL)
    assert send(AT) == []  # only annual reports are due
    make_stage(office, officer, code="annual-only", applies_to=ReminderStage.AppliesTo.ANNUAL)
    assert len(send(AT)) == 3


@pytest.mark.django_db
def test_states_not_bound_owe_nothing(office, officer, stage, send):
    signatory = StateFactory(name_en="Signatoria", iso3="XSI")
    MissionFactory(state=signatory)
    ParticipationFactory(state=signatory, deposit_date=None, instrument="")
    StateFactory(name_en="Outsideland", iso3="XOU")
    assert send(AT) == []


# --- switching a stage off, and the dry runs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_disabled_stage_sends_nothing_but_shows_in_the_dry_run(parties, stage, send, admin_client):
    stage.enabled = False
    stage.save()

    assert reminders_planned(at=AT) == []
    planned = reminders_planned(at=AT, include_disabled=True)
    assert sorted((p.stage, p.row.state.name_en, p.row.year_covered) for p in planned) == [
        (stage, "Arcadia", 2025),
        (stage, "Borduria", 2025),
        (stage, "Carpathia", 2025),
    ]
    assert send(AT) == []
    assert (ReminderSent.objects.count(), Note.objects.count(), len(mail.outbox)) == (0, 0, 0)

    url = reverse("admin:obligations_reminder_dry_run")
    assert url == "/admin/obligations/reminderstage/dry-run/"
    response = admin_client.get(url, {"date": "2026-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reminders that would be sent on 31 March 2026" in html
    for name in ("Arcadia", "Borduria", "Carpathia"):
        assert name in html
    assert html.count("stage off") == 3
    assert "30 Apr 2026" in html
    assert "<strong>3 reminders</strong> would go out on 31 March 2026." in html
    assert (ReminderSent.objects.count(), Note.objects.count()) == (0, 0)  # the page sends nothing

    stage.enabled = True
    stage.save()
    assert len(send(AT)) == 3
    # Once sent, a reminder is no longer planned, not even in the dry run.
    assert reminders_planned(at=AT, include_disabled=True) == []
    assert "No reminder is due on this date." in admin_client.get(url, {"date": "2026-03-31"}).content.decode()


@pytest.mark.django_db
def test_admin_dry_run_defaults_to_today_and_refuses_a_bad_date(admin_client, stage):
    url = reverse("admin:obligations_reminder_dry_run")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["at"] == timezone.localdate()
    response = admin_client.get(url, {"date": "31/03/2026"})  # day first, as typed in Geneva
    assert response.context["at"] == dt.date(2026, 3, 31)
    response = admin_client.get(url, {"date": "2026-31-03"})
    assert response.status_code == 200
    assert response.context["at"] == timezone.localdate()
    assert "Give the date as 2026-12-03 or 3 December 2026; today is shown." in response.content.decode()
    # The stages' list links to the dry run.
    changelist = admin_client.get(reverse("admin:obligations_reminderstage_changelist")).content.decode()
    assert url in changelist


@pytest.mark.django_db
def test_admin_dry_run_offers_the_next_days_the_stages_send(admin_client, stage):
    response = admin_client.get(reverse("admin:obligations_reminder_dry_run"))
    (day, found), *_ = response.context["next_days"]
    assert found == stage and (day.month, day.day) == (3, 31)  # 30 days before 30 April
    assert f'href="?date={day.isoformat()}"' in response.content.decode()


@pytest.mark.django_db
def test_next_days_the_stages_send(stage, office, officer):
    overdue = make_stage(office, officer, code="overdue-1", label="Overdue", kind=ReminderStage.Kind.OVERDUE, days=1)
    make_stage(office, officer, code="initial-only", label="Initial", applies_to=ReminderStage.AppliesTo.INITIAL)
    assert annual_reminder_days(after=dt.date(2026, 3, 31)) == [
        (dt.date(2026, 3, 31), stage),
        (dt.date(2026, 5, 1), overdue),
    ]
    assert annual_reminder_days(after=dt.date(2026, 4, 1)) == [
        (dt.date(2026, 5, 1), overdue),
        (dt.date(2027, 3, 31), stage),
    ]


@pytest.mark.django_db
def test_dry_run_pages_are_for_staff_only(client, stage):
    response = client.get(reverse("admin:obligations_reminder_dry_run"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_send_reminders_command_dry_run_lists_and_writes_nothing(parties, stage, office, officer):
    make_stage(office, officer, code="off", label="Switched-off stage", days=40, window_days=30, enabled=False)
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-03-31", stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[-1] == "6 reminder(s) planned for 2026-03-31."
    for name in ("Arcadia", "Borduria", "Carpathia"):
        assert f"30 days before the due date: {name} – Annual report 2025, due 2026-04-30" in lines
        assert f"Switched-off stage: {name} – Annual report 2025, due 2026-04-30  (stage switched off)" in lines
    assert (ReminderSent.objects.count(), Note.objects.count(), len(mail.outbox)) == (0, 0, 0)


@pytest.mark.django_db
def test_send_reminders_command_sends_once(parties, stage, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-03-31", stdout=out)
        call_command("send_reminders", "--date", "2026-03-31", stdout=out)
        call_command("send_reminders", "--date", "2026-04-01", stdout=out)
    assert out.getvalue().splitlines() == ["Sent 3 reminder(s).", "Sent 0 reminder(s).", "Sent 0 reminder(s)."]
    assert ReminderSent.objects.count() == 3
    assert len(mail.outbox) == 3


# --- overdue notices ---------------------------------------------------------------------------------------------


@pytest.fixture
def overdue_stage(office, officer):
    return make_stage(
        office,
        officer,
        code="overdue-14",
        label="Overdue notice",
        kind=ReminderStage.Kind.OVERDUE,
        days=14,
        window_days=30,
        body=OVERDUE_BODY,
    )


@pytest.mark.django_db
def test_overdue_notice_only_after_due_date_plus_days(parties, overdue_stage, send):
    arcadia, borduria, _ = parties
    SubmissionFactory(state=arcadia, kind="annual", year_covered=2025, received_on=DUE)  # on time
    SubmissionFactory(state=borduria, kind="annual", year_covered=2025, received_on=D(2026, 5, 5))  # late

    for day in (DUE, DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=13)):
        assert send(day) == []
    sent = send(DUE + dt.timedelta(days=14))

    # Only Carpathia is still overdue, and only for the report covering 2025: the reports it never sent
    # for earlier years are far beyond the stage's window and get no notice.
    assert [(r.state.name_en, r.kind, r.year_covered) for r in sent] == [("Carpathia", "annual", 2025)]
    note = sent[0].note
    assert note.subject == "Article 7 report: annual report covering 2025"
    assert "the annual report covering 2025 was due by 30 April 2026" in note.body
    assert [m.to for m in mail.outbox] == [["mission.xca@example.org"]]
    assert send(DUE + dt.timedelta(days=15)) == []


@pytest.mark.django_db
def test_overdue_notice_window(parties, overdue_stage):
    first_day = DUE + dt.timedelta(days=14)

    def planned_on(day):
        return sorted((p.row.state.name_en, p.row.year_covered) for p in reminders_planned(at=day))

    everyone_2025 = [("Arcadia", 2025), ("Borduria", 2025), ("Carpathia", 2025)]
    assert planned_on(first_day - dt.timedelta(days=1)) == []
    assert planned_on(first_day) == everyone_2025
    assert planned_on(first_day + dt.timedelta(days=29)) == everyone_2025  # last day of the window
    assert planned_on(first_day + dt.timedelta(days=30)) == []  # too old now: never sent


@pytest.mark.django_db
def test_ancient_obligations_get_no_overdue_notice(parties, overdue_stage, send):
    """Initial reports due in 2012 and annual reports since are all overdue, but long past every window."""
    overdue = [r for r in obligation_statuses(treaty=ccm(), at=D(2026, 3, 1)) if r.status is rules.ReportStatus.OVERDUE]
    assert len(overdue) == 3 * 14  # per State: the initial report and the annual ones covering 2012 to 2024
    assert send(D(2026, 3, 1)) == []
    assert ReminderSent.objects.count() == 0


@pytest.mark.django_db
def test_before_due_stage_stops_at_the_due_date(parties, stage):
    assert len(reminders_planned(at=DUE - dt.timedelta(days=1))) == 3
    assert reminders_planned(at=DUE) == []  # on the due date it is no longer "before" it
    assert reminders_planned(at=DUE + dt.timedelta(days=1)) == []


# --- offices that require approval ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_office_requiring_approval_issues_with_the_stages_second_person(
    parties, approval_office, officer, approver, send
):
    make_stage(approval_office, officer, approved_by=approver)

    sent = send(AT)

    assert len(sent) == 3
    for record in sent:
        note = Note.objects.get(pk=record.note_id)
        assert note.status == Note.Status.ISSUED
        assert (note.created_by, note.approved_by, note.issued_by) == (officer, approver, officer)
        assert note.approved_at is not None
        assert note.reference.startswith("ISU/2026/")
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_office_requiring_approval_sends_nothing_without_a_second_person(parties, approval_office, officer, send):
    make_stage(approval_office, officer, approved_by=None)

    assert send(AT) == []
    # Nothing is recorded, so the reminders go as soon as someone approves the stage's wording.
    assert (ReminderSent.objects.count(), Note.objects.count(), len(mail.outbox)) == (0, 0, 0)
    assert len(reminders_planned(at=AT)) == 3


@pytest.mark.django_db
def test_refused_note_leaves_no_record_and_is_tried_again(parties, office, send):
    """An officer who may no longer draft for the office: the notes are refused, nothing is recorded."""
    outsider = UserFactory(username="left@example.org", is_staff=False)
    stage = make_stage(office, outsider)
    assert send(AT) == []
    assert (ReminderSent.objects.count(), Note.objects.count()) == (0, 0)

    stage.issued_by = _secretariat_user("successor@example.org")
    stage.save()
    assert len(send(AT)) == 3


# --- concurrency ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once(monkeypatch):
    office = _office("Office for Disarmament Affairs (Geneva)", "ODA", requires_approval=False)
    officer = _secretariat_user("officer@example.org")
    states = [party(f"Concurrentland {n}", f"XC{chr(65 + n)}") for n in range(4)]
    make_stage(office, officer)
    # Rendering and mailing run in worker processes, not threads: record what is queued instead.
    queued: list[int] = []
    monkeypatch.setattr(correspondence_tasks, "copies_queue", lambda ids: queued.extend(ids))

    threads_count = 3
    barrier = threading.Barrier(threads_count)
    outcome: dict[int, object] = {}

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome[index] = reminders_send(at=AT)
        except BaseException as exc:  # reported by the assertion below
            outcome[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert all(isinstance(result, list) for result in outcome.values()), outcome
    assert sum(len(result) for result in outcome.values()) == len(states)
    assert ReminderSent.objects.count() == len(states)
    assert set(ReminderSent.objects.values_list("state", flat=True)) == {s.pk for s in states}
    assert Note.objects.count() == len(states)
    assert Note.objects.filter(status=Note.Status.ISSUED).count() == len(states)
    assert NoteCopy.objects.count() == len(states)
    assert sorted(queued) == sorted(NoteCopy.objects.values_list("pk", flat=True))
    assert sorted(Note.objects.values_list("seq", flat=True)) == list(range(1, len(states) + 1))
    assert all(r.note_id for r in ReminderSent.objects.all())


# --- the schedule -----------------------------------------------------------------------------------------------------


def test_beat_schedule_runs_the_reminders_task():
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == task_send_reminders.name]
    assert len(entries) == 1
    assert task_send_reminders.name == "obligations.task_send_reminders"
    assert task_send_reminders.name in celery_app.tasks
    assert celery_app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    schedule = entries[0]["schedule"]
    seconds = schedule if isinstance(schedule, int | float) else schedule.run_every.total_seconds()
    assert 0 < seconds <= 24 * 60 * 60  # at least daily


def test_a_stage_of_an_office_that_requires_approval_names_its_approver(approval_office, officer, approver):
    from django.core.exceptions import ValidationError

    stage = ReminderStage(
        code="before-30",
        label="30 days before",
        kind=ReminderStage.Kind.BEFORE_DUE,
        days=30,
        office=approval_office,
        issued_by=officer,
        body="{{ opening }} recall.\n\n{{ closing }}",
    )
    with pytest.raises(ValidationError) as caught:
        stage.full_clean()
    assert list(caught.value.message_dict) == ["approved_by"]
    stage.approved_by = approver
    stage.full_clean()


# --- in the addressee's language ----------------------------------------------------------------------------------

# The annual report covering 2025, due 30 April 2026, in each language: subject, the date written out, the treaty.
# (The Arabic month may come to be written the UN way, “نيسان/أبريل”: only its usual name is required.)
IN_LANGUAGE = {
    "ar": (
        "التقرير المقدم بموجب المادة 7: التقرير السنوي عن عام 2025",
        "أبريل 2026",
        "عملاً بالمادة 7 من اتفاقية الذخائر العنقودية",
    ),
    "ru": (
        "Доклад в соответствии со статьей 7: ежегодный доклад за 2025 год",
        "не позднее 30 апреля 2026 года",
        "в соответствии со статьей 7 Конвенции по кассетным боеприпасам",
    ),
    "zh": ("第7条报告：2025年度报告", "应不迟于2026年4月30日提交", "根据《集束弹药公约》第7条"),
}


@pytest.mark.django_db
def test_reminders_go_out_in_the_language_each_state_asked_for(parties, stage, send):
    """Arcadia asked for Arabic, Borduria for Russian, Carpathia for Chinese: subject and body in that language,
    the due date written out as that language writes it, never the English wording of the stage."""
    for state, language in zip(parties, ("ar", "ru", "zh"), strict=True):
        ReminderLanguage.objects.create(state=state, language=language)

    sent = send(AT)

    assert len(sent) == 3
    for state, language in zip(parties, ("ar", "ru", "zh"), strict=True):
        note = ReminderSent.objects.get(state=state).note
        subject, date, treaty = IN_LANGUAGE[language]
        assert note.language == language
        assert note.status == Note.Status.ISSUED
        assert note.subject == subject
        assert date in note.body
        assert long_date(DUE, language) in note.body
        assert treaty in note.body
        assert "{{ opening }}" in note.body and "{{ closing }}" in note.body  # the formulas, in the note's language
        assert "[" not in note.body and "[" not in note.subject
        for english in ("Article 7", "April", "report", "Year covered"):
            assert english not in note.subject + note.body
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_language_of_the_latest_report_when_the_state_asked_for_none(parties, stage, send):
    arcadia, borduria, carpathia = parties
    SubmissionFactory(state=arcadia, kind="initial", received_on=D(2012, 2, 1), language="ru")
    SubmissionFactory(state=arcadia, kind="annual", year_covered=2023, received_on=D(2024, 4, 2), language="fr")
    SubmissionFactory(state=borduria, kind="initial", received_on=D(2012, 2, 1), language="es")
    ReminderLanguage.objects.create(state=borduria, language="ar")  # an explicit choice wins

    send(AT)

    notes = {r.state: r.note for r in ReminderSent.objects.select_related("note")}
    assert (notes[arcadia].language, notes[borduria].language, notes[carpathia].language) == ("fr", "ar", "en")
    assert notes[arcadia].subject == "Rapport au titre de l'article 7\u00a0: rapport annuel portant sur l'année 2025"
    assert "au plus tard le 30 avril 2026" in notes[arcadia].body
    assert notes[carpathia].subject == "Article 7 report: annual report covering 2025"  # the stage's own English


@pytest.mark.django_db
def test_a_stage_wording_of_its_own_in_a_language_is_used(parties, stage, send):
    arcadia = parties[0]
    ReminderLanguage.objects.create(state=arcadia, language="es")
    ReminderWording.objects.create(
        stage=stage,
        language="es",
        subject="Recordatorio: [REPORT]",
        body="{{ opening }} recordarle el [REPORT] ([YEAR]), que vence el [DUE_DATE].\n\n{{ closing }}",
    )

    send(AT)

    note = ReminderSent.objects.get(state=arcadia).note
    assert note.subject == "Recordatorio: informe anual correspondiente a 2025"
    assert "recordarle el informe anual correspondiente a 2025 (2025), que vence el 30 de abril de 2026." in note.body


@pytest.mark.django_db
def test_an_overdue_notice_in_arabic(parties, office, officer, send):
    ReminderLanguage.objects.create(state=parties[0], language="ar")
    make_stage(office, officer, code="overdue-1", kind=ReminderStage.Kind.OVERDUE, days=1, body=OVERDUE_BODY)

    send(DUE + dt.timedelta(days=1))

    note = ReminderSent.objects.get(state=parties[0]).note
    assert note.language == "ar"
    assert f"كان يتعين تقديم التقرير السنوي عن عام 2025 في موعد أقصاه {long_date(DUE, 'ar')}، ولم يرد بعد" in note.body


def test_the_interface_language_does_not_change_a_reminder():
    """A reminder sent while someone reads the portal in French is still written in its own language."""
    with translation.override("fr"):
        assert wording.report_phrase(year_covered=None, language="ru") == "первоначальный доклад"
        assert wording.report_phrase(year_covered=2025, language="en") == "annual report covering 2025"
