"""Organisations that asked or were invited to a meeting are its interested organisations for a circular (issue 11)."""

import datetime as dt

import pytest
from django.utils import timezone

from correspondence.models import AddresseeGroup
from correspondence.selectors import note_addressees
from registration.models import Delegation, Invitation
from tests.correspondence import factories
from tests.factories import MeetingFactory, OrganisationFactory, UserFactory, ccm

pytestmark = pytest.mark.django_db


def test_organisations_that_asked_or_were_invited_receive_the_circular():
    meeting = MeetingFactory(treaty=ccm())
    invited, asked, provisional, refused, elsewhere = (OrganisationFactory() for _ in range(5))
    Invitation.objects.create(meeting=meeting, organisation=invited, expires_at=timezone.now() + dt.timedelta(days=9))
    user = UserFactory()
    for organisation, admission in (
        (asked, Delegation.Admission.REQUESTED),
        (provisional, Delegation.Admission.INVITED),
        (refused, Delegation.Admission.REFUSED),
    ):
        Delegation.objects.create(meeting=meeting, organisation=organisation, admission=admission, created_by=user)
    Delegation.objects.create(
        meeting=MeetingFactory(treaty=ccm()), organisation=elsewhere, admission="requested", created_by=user
    )
    office = factories.OfficeFactory()
    groups = [AddresseeGroup.INTERESTED_ORGANISATIONS]
    note = factories.draft(office, factories.secretariat_user(), meeting=meeting, form="letter", groups=groups)

    keys = {a.key for a in note_addressees(note, at=meeting.start_date)}

    assert keys == {f"org:{o.pk}" for o in (invited, asked, provisional)}
