"""Participation: computed dates, overrides, status at a date, validation and database constraints."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ParticipationFactory, StateFactory, apmbc, ccm
from treaties import rules
from treaties.models import Organisation, Participation, PermanentMission, State, Treaty
from treaties.rules import Status

D = dt.date
pytestmark = pytest.mark.django_db


def build(**kwargs) -> Participation:
    """An unsaved CCM participation of a saved State (factory defaults: signed 2008-12-03, ratified 2011-03-24)."""
    kwargs.setdefault("state", StateFactory())
    return ParticipationFactory.build(**kwargs)


# --- computed dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("treaty", "signature", "deposit", "instrument", "eif", "report_due"),
    [
        (ccm, D(2008, 12, 3), D(2011, 3, 24), "ratification", D(2011, 9, 1), D(2012, 2, 28)),
        (ccm, D(2008, 12, 3), D(2010, 7, 28), "ratification", D(2011, 1, 1), D(2011, 6, 30)),
        (ccm, D(2008, 12, 3), D(2010, 2, 16), "ratification", D(2010, 8, 1), D(2011, 1, 28)),
        (ccm, D(2008, 12, 3), D(2009, 3, 18), "ratification", D(2010, 8, 1), D(2011, 1, 28)),
        (ccm, D(2008, 12, 3), D(2011, 7, 15), "acceptance", D(2012, 1, 1), D(2012, 6, 29)),
        (ccm, None, D(2011, 12, 31), "accession", D(2012, 6, 1), D(2012, 11, 28)),
        (apmbc, D(1997, 12, 3), D(1998, 9, 16), "ratification", D(1999, 3, 1), D(1999, 8, 28)),
        (apmbc, D(1997, 12, 3), D(1998, 9, 17), "ratification", D(1999, 3, 1), D(1999, 8, 28)),
        (apmbc, None, D(1998, 10, 1), "accession", D(1999, 4, 1), D(1999, 9, 28)),
    ],
)
def test_computed_entry_into_force_and_initial_report(treaty, signature, deposit, instrument, eif, report_due):
    participation = ParticipationFactory(
        treaty=treaty(), signature_date=signature, deposit_date=deposit, instrument=instrument
    )
    participation.refresh_from_db()
    assert participation.computed_entry_into_force == eif
    assert participation.entry_into_force == eif
    assert participation.computed_initial_report_due == report_due
    assert participation.initial_report_due == report_due
    assert participation.computed_withdrawal_effective is None
    assert participation.withdrawal_effective is None


def test_signatory_has_no_computed_dates():
    participation = ParticipationFactory(deposit_date=None, instrument="")
    assert participation.computed_entry_into_force is None
    assert participation.entry_into_force is None
    assert participation.computed_initial_report_due is None
    assert participation.initial_report_due is None
    assert participation.withdrawal_effective is None


def test_withdrawal_effective_is_computed_from_the_notice():
    participation = ParticipationFactory(withdrawal_notice_date=D(2023, 8, 31))
    assert participation.computed_withdrawal_effective == D(2024, 2, 29)
    assert participation.withdrawal_effective == D(2024, 2, 29)


# --- status at a date -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2008, 12, 2), Status.NOT_PARTY),
        (D(2008, 12, 3), Status.SIGNATORY),
        (D(2011, 3, 23), Status.SIGNATORY),
        (D(2011, 3, 24), Status.NOT_YET_IN_FORCE),
        (D(2011, 8, 31), Status.NOT_YET_IN_FORCE),  # the day before entry into force: not yet a party
        (D(2011, 9, 1), Status.STATE_PARTY),  # on the day of entry into force: a party
        (D(2024, 9, 5), Status.STATE_PARTY),
        (D(2024, 9, 6), Status.WITHDRAWAL_PENDING),
        (D(2025, 3, 5), Status.WITHDRAWAL_PENDING),
        (D(2025, 3, 6), Status.FORMER_PARTY),
    ],
)
def test_status_at_through_every_stage(at, expected):
    participation = ParticipationFactory(withdrawal_notice_date=D(2024, 9, 6))
    assert participation.status_at(at) is expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2010, 2, 15), Status.SIGNATORY),
        (D(2010, 2, 16), Status.NOT_YET_IN_FORCE),
        (D(2010, 7, 31), Status.NOT_YET_IN_FORCE),
        (D(2010, 8, 1), Status.STATE_PARTY),
    ],
)
def test_status_of_a_triggering_state_around_the_treaty_entry_into_force(at, expected):
    participation = ParticipationFactory(deposit_date=D(2010, 2, 16))
    assert participation.status_at(at) is expected


def test_current_status_uses_today():
    today = timezone.localdate()
    recent = ParticipationFactory(deposit_date=today - dt.timedelta(days=10))
    party = ParticipationFactory()
    pending = ParticipationFactory(withdrawal_notice_date=today)
    leaves_tomorrow = ParticipationFactory(
        withdrawal_notice_date=today - dt.timedelta(days=200), withdrawal_effective_override=today + dt.timedelta(1)
    )
    left_today = ParticipationFactory(
        withdrawal_notice_date=today - dt.timedelta(days=200), withdrawal_effective_override=today
    )
    left_long_ago = ParticipationFactory(withdrawal_notice_date=rules.add_months(today, -7))
    assert recent.current_status is Status.NOT_YET_IN_FORCE
    assert party.current_status is Status.STATE_PARTY
    assert pending.current_status is Status.WITHDRAWAL_PENDING
    assert pending.withdrawal_effective == rules.add_months(today, 6)
    assert leaves_tomorrow.current_status is Status.WITHDRAWAL_PENDING
    assert left_today.current_status is Status.FORMER_PARTY
    assert left_long_ago.current_status is Status.FORMER_PARTY


# --- overrides --------------------------------------------------------------------------------------------------


def test_entry_into_force_override_wins_and_moves_the_initial_report():
    participation = ParticipationFactory(entry_into_force_override=D(2012, 1, 1))
    assert participation.computed_entry_into_force == D(2011, 9, 1)  # still visible
    assert participation.entry_into_force == D(2012, 1, 1)
    assert participation.computed_initial_report_due == D(2012, 6, 29)
    assert participation.initial_report_due == D(2012, 6, 29)
    assert participation.status_at(D(2011, 9, 1)) is Status.NOT_YET_IN_FORCE
    assert participation.status_at(D(2011, 12, 31)) is Status.NOT_YET_IN_FORCE
    assert participation.status_at(D(2012, 1, 1)) is Status.STATE_PARTY


def test_initial_report_override_wins_over_the_date_following_an_eif_override():
    participation = ParticipationFactory(
        entry_into_force_override=D(2012, 1, 1), initial_report_due_override=D(2012, 9, 30)
    )
    assert participation.computed_initial_report_due == D(2012, 6, 29)
    assert participation.initial_report_due == D(2012, 9, 30)


def test_initial_report_override_alone():
    participation = ParticipationFactory(initial_report_due_override=D(2012, 4, 30))
    assert participation.entry_into_force == D(2011, 9, 1)
    assert participation.computed_initial_report_due == D(2012, 2, 28)
    assert participation.initial_report_due == D(2012, 4, 30)


def test_withdrawal_effective_override_delays_former_party_status():
    participation = ParticipationFactory(
        withdrawal_notice_date=D(2024, 9, 6), withdrawal_effective_override=D(2026, 3, 6)
    )
    assert participation.computed_withdrawal_effective == D(2025, 3, 6)
    assert participation.withdrawal_effective == D(2026, 3, 6)
    assert participation.status_at(D(2025, 3, 6)) is Status.WITHDRAWAL_PENDING
    assert participation.status_at(D(2026, 3, 5)) is Status.WITHDRAWAL_PENDING
    assert participation.status_at(D(2026, 3, 6)) is Status.FORMER_PARTY


# --- validation (full_clean) ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            dict(signature_date=None, deposit_date=D(2011, 3, 24), instrument="ratification"),
            {"signature_date": ["Ratification follows a signature; a State that never signed accedes."]},
            id="ratification-without-signature",
        ),
        pytest.param(
            dict(signature_date=None, deposit_date=D(2011, 3, 24), instrument="acceptance"),
            {"signature_date": ["Acceptance follows a signature; a State that never signed accedes."]},
            id="acceptance-without-signature",
        ),
        pytest.param(
            dict(signature_date=None, deposit_date=D(2011, 3, 24), instrument="approval"),
            {"signature_date": ["Approval follows a signature; a State that never signed accedes."]},
            id="approval-without-signature",
        ),
        pytest.param(
            dict(deposit_date=None, instrument="ratification"),
            {"deposit_date": ["An instrument needs its deposit date."]},
            id="instrument-without-deposit",
        ),
        pytest.param(
            dict(instrument=""),
            {"instrument": ["Say which instrument was deposited."]},
            id="deposit-without-instrument",
        ),
        pytest.param(
            dict(signature_date=D(2010, 5, 1), deposit_date=D(2010, 4, 1)),
            {"deposit_date": ["The deposit cannot precede the signature."]},
            id="deposit-before-signature",
        ),
        pytest.param(
            dict(withdrawal_notice_date=D(2011, 3, 23)),
            {"withdrawal_notice_date": ["Only a State that has deposited an instrument can withdraw, after it."]},
            id="withdrawal-before-deposit",
        ),
        pytest.param(
            dict(deposit_date=None, instrument="", withdrawal_notice_date=D(2012, 1, 1)),
            {"withdrawal_notice_date": ["Only a State that has deposited an instrument can withdraw, after it."]},
            id="withdrawal-without-deposit",
        ),
        pytest.param(
            dict(signature_date=None, deposit_date=None, instrument=""),
            {"signature_date": ["Give a signature date, a deposit date, or both."]},
            id="neither-signature-nor-deposit",
        ),
        pytest.param(
            dict(instrument="ratify"),
            {"instrument": ["Value 'ratify' is not a valid choice."]},
            id="unknown-instrument",
        ),
    ],
)
def test_full_clean_messages(fields, expected):
    participation = build(**fields)
    with pytest.raises(ValidationError) as excinfo:
        participation.full_clean()
    assert excinfo.value.message_dict == expected


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(dict(), id="signed-and-ratified"),
        pytest.param(dict(signature_date=D(2010, 6, 1), deposit_date=D(2010, 6, 1)), id="signed-and-ratified-same-day"),
        pytest.param(dict(deposit_date=None, instrument=""), id="signatory"),
        pytest.param(dict(signature_date=None, instrument="accession"), id="accession"),
        pytest.param(dict(signature_date=None, instrument="succession"), id="succession"),
        pytest.param(dict(withdrawal_notice_date=D(2011, 3, 24)), id="withdrawal-on-deposit-day"),
        pytest.param(dict(provisional_application=True), id="provisional-application"),
    ],
)
def test_full_clean_accepts_valid_participations(fields):
    build(**fields).full_clean()


def test_full_clean_rejects_a_second_row_for_the_same_treaty_and_state():
    existing = ParticipationFactory()
    duplicate = ParticipationFactory.build(treaty=existing.treaty, state=existing.state)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict == {
        NON_FIELD_ERRORS: ["Participation with this Treaty and State already exists."]
    }


def test_same_state_may_join_both_treaties():
    first = ParticipationFactory()
    second = ParticipationFactory.build(
        treaty=apmbc(), state=first.state, signature_date=D(1997, 12, 3), deposit_date=D(1998, 7, 9)
    )
    second.full_clean()
    second.save()
    assert Participation.objects.filter(state=first.state).count() == 2


# --- database constraints (save without clean) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        (
            dict(signature_date=None, deposit_date=D(2011, 3, 24), instrument="ratification"),
            "participation_ratification_needs_signature",
        ),
        (dict(deposit_date=None, instrument="ratification"), "participation_instrument_iff_deposit"),
        (dict(instrument=""), "participation_instrument_iff_deposit"),
        (dict(signature_date=D(2011, 3, 25)), "participation_deposit_after_signature"),
        (dict(withdrawal_notice_date=D(2011, 3, 23)), "participation_withdrawal_after_deposit"),
        (
            dict(deposit_date=None, instrument="", withdrawal_notice_date=D(2012, 1, 1)),
            "participation_withdrawal_after_deposit",
        ),
        (dict(signature_date=None, deposit_date=None, instrument=""), "participation_signed_or_deposited"),
    ],
)
def test_database_rejects_what_clean_rejects(fields, constraint):
    participation = build(**fields)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        participation.save()
    assert Participation.objects.count() == 0


def test_database_rejects_a_duplicate_treaty_and_state():
    existing = ParticipationFactory()
    with (
        pytest.raises(
            IntegrityError,
            # The constraint's name on PostgreSQL, its columns on SQLite.
            match=r"participation_unique_treaty_state|treaty_id, treaties_participation\.state_id",
        ),
        transaction.atomic(),
    ):
        ParticipationFactory(treaty=existing.treaty, state=existing.state, deposit_date=D(2012, 1, 1))
    assert Participation.objects.count() == 1


# --- States and other registry models ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "constraint", "message"),
    [
        (dict(iso2="gb"), "state_iso2_format", "Two capital letters."),
        (dict(iso2="X1"), "state_iso2_format", "Two capital letters."),
        (dict(iso3="GB"), "state_iso3_format", "Three capital letters."),
        (dict(iso3="gbr"), "state_iso3_format", "Three capital letters."),
        (dict(iso_numeric="12"), "state_isonum_format", "Three digits."),
        (dict(iso_numeric="8X6"), "state_isonum_format", "Three digits."),
    ],
)
def test_bad_iso_codes(codes, constraint, message):
    fields = dict(iso2="XA", iso3="XAA", iso_numeric="901", name_en="Testland", name_fr="Terre de test") | codes
    state = State(**fields)
    with pytest.raises(ValidationError) as excinfo:
        state.full_clean()
    assert excinfo.value.message_dict == {next(iter(codes)): [message]}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        state.save()
    assert State.objects.count() == 0


def test_good_iso_codes_pass():
    State(iso2="XA", iso3="XAA", iso_numeric="001", name_en="Testland", name_fr="Terre de test").full_clean()


def test_treaty_entry_into_force_must_follow_the_triggering_deposit():
    treaty = Treaty(
        code="TEST",
        name="Test Treaty",
        short_name="Test",
        instruments_for_entry_into_force=20,
        triggering_deposit_date=D(2020, 1, 1),
        entry_into_force=D(2020, 1, 1),
    )
    with pytest.raises(IntegrityError, match="treaty_eif_after_trigger"), transaction.atomic():
        treaty.save()


def test_the_two_treaties_are_installed_by_migration():
    assert list(Treaty.objects.values_list("code", "triggering_deposit_date", "entry_into_force")) == [
        ("APMBC", D(1998, 9, 16), D(1999, 3, 1)),
        ("CCM", D(2010, 2, 16), D(2010, 8, 1)),
    ]


def test_mission_emails_are_checked_line_by_line():
    state = StateFactory()
    mission = PermanentMission(
        state=state, city="Geneva", name="Permanent Mission", emails="geneva@example.org\n\nnot-an-address\n"
    )
    with pytest.raises(ValidationError) as excinfo:
        mission.full_clean()
    assert excinfo.value.message_dict == {"emails": ["Line 3: “not-an-address” is not a valid e-mail address."]}
    mission.emails = " geneva@example.org \n\nother@example.org"
    mission.full_clean()
    assert mission.email_list == ["geneva@example.org", "other@example.org"]


def test_organisation_acronym_unique_only_when_given():
    Organisation.objects.create(name="First", kind="ngo")
    Organisation.objects.create(name="Second", kind="ngo")  # two blank acronyms are fine
    Organisation.objects.create(name="Third", acronym="ABC", kind="ngo")
    with (
        pytest.raises(IntegrityError, match=r"organisation_acronym_unique|treaties_organisation\.acronym"),
        transaction.atomic(),
    ):
        Organisation.objects.create(name="Fourth", acronym="ABC", kind="ngo")
    assert Organisation.objects.count() == 3


def test_signature_after_the_treaty_entered_into_force_is_refused():
    """Signature closed at entry into force (CCM Art. 15): later States accede."""
    participation = ParticipationFactory.build(
        state=StateFactory(), signature_date=dt.date(2010, 8, 1), deposit_date=dt.date(2011, 3, 24)
    )
    with pytest.raises(ValidationError) as caught:
        participation.full_clean()
    assert caught.value.message_dict["signature_date"] == [
        "Signature closed when the treaty entered into force on 1 August 2010; a State joining later accedes."
    ]
