"""Issuing from several threads at once: numbers never repeat and never skip (PostgreSQL, and SQLite too)."""

import threading

import pytest
from django.db import connection

from correspondence import services
from correspondence.models import Note, NoteCopy, ReferenceCounter

from . import factories

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_take_consecutive_numbers():
    office = factories.OfficeFactory(reference_pattern="{code}/{yyyy}-{seq:03}")
    user = factories.secretariat_user()
    factories.party(name="Partyland")
    notes = [factories.draft(office, user, subject=f"Note {n}") for n in range(THREADS)]
    # Two more that will be refused in the middle of the crowd: they must not use a number.
    refused = [factories.draft(office, user, subject=f"Nobody {n}", groups=[]) for n in range(2)]
    barrier = threading.Barrier(THREADS + len(refused))
    errors: dict[int, BaseException] = {}

    def issue(note: Note) -> None:
        try:
            barrier.wait(timeout=30)
            # dispatch=False: this test is about numbering; rendering runs in worker processes, not threads.
            services.note_issue(note=note, user=user, issue_date=factories.ISSUE_DATE, dispatch=False)
        except BaseException as exc:
            errors[note.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(note,)) for note in notes + refused]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert set(errors) == {note.pk for note in refused}
    assert all(isinstance(error, services.CorrespondenceError) for error in errors.values())
    issued = list(Note.objects.filter(office=office, status=Note.Status.ISSUED).order_by("seq"))
    assert {note.pk for note in issued} == {note.pk for note in notes}
    assert [note.seq for note in issued] == list(range(1, THREADS + 1))
    assert len({note.reference for note in issued}) == THREADS
    assert {note.reference for note in issued} == {f"{office.code}/2023-{n:03d}" for n in range(1, THREADS + 1)}
    assert ReferenceCounter.objects.get(office=office, year=2023).last_seq == THREADS
    assert set(Note.objects.filter(pk__in=[n.pk for n in refused]).values_list("status", "seq")) == {("draft", None)}
    # Every issued note got its own copy to the one State Party.
    assert NoteCopy.objects.filter(note__office=office).count() == THREADS

    # And the next one, issued alone afterwards, follows without a gap.
    following = services.note_issue(
        note=factories.draft(office, user), user=user, issue_date=factories.ISSUE_DATE, dispatch=False
    )
    assert following.seq == THREADS + 1
