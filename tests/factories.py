"""Factories of the models of the apps below correspondence (treaties, meetings) and of users, shared by every app's
tests; each app's own factories and helpers are in tests/<app>/factories.py."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from meetings.models import Document, Meeting, Officer
from treaties.models import Organisation, Participation, PermanentMission, State, Treaty


def ccm() -> Treaty:
    """The CCM row created by the treaties data migration."""
    return Treaty.objects.get(code="CCM")


def apmbc() -> Treaty:
    return Treaty.objects.get(code="APMBC")


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["iso3"]

    # Counting down from ZZ / XZZ / 999 keeps generated codes clear of most real ones
    # (X.. and 9.. are unassigned) and unique for hundreds of rows.
    iso2 = factory.Sequence(lambda n: f"{chr(90 - n // 26 % 26)}{chr(90 - n % 26)}")
    iso3 = factory.Sequence(lambda n: f"X{chr(90 - n // 26 % 26)}{chr(90 - n % 26)}")
    iso_numeric = factory.Sequence(lambda n: f"{999 - n % 1000:03d}")
    name_en = factory.Sequence(lambda n: f"Testland {n:04d}")
    name_fr = factory.LazyAttribute(lambda o: o.name_en.replace("Testland", "Terre de test"))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    acronym = factory.Sequence(lambda n: f"TO{n}")
    kind = Organisation.Kind.NGO


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermanentMission

    state = factory.SubFactory(StateFactory)
    city = PermanentMission.City.GENEVA
    name = factory.LazyAttribute(lambda o: f"Permanent Mission of {o.state.name_en} at Geneva")
    emails = factory.LazyAttribute(lambda o: f"mission.{o.state.iso3.lower()}@example.org")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    treaty = factory.LazyFunction(ccm)
    state = factory.SubFactory(StateFactory)
    signature_date = dt.date(2008, 12, 3)
    deposit_date = dt.date(2011, 3, 24)
    instrument = Participation.Instrument.RATIFICATION


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    treaty = factory.LazyFunction(ccm)
    kind = Meeting.Kind.INTERSESSIONAL
    title = factory.Sequence(lambda n: f"Test meeting {n}")
    slug = factory.Sequence(lambda n: f"test-meeting-{n}")
    start_date = dt.date(2030, 9, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=3))
    city = "Geneva"
    venue = "Palais des Nations"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    meeting = factory.SubFactory(MeetingFactory)
    role = Officer.Role.PRESIDENT
    state = factory.SubFactory(StateFactory)
    person_name = "H.E. Test President"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    meeting = factory.SubFactory(MeetingFactory)
    symbol = factory.Sequence(lambda n: f"CCM/MSP/2030/{n}")
    title = "Provisional agenda"
    kind = Document.Kind.PROVISIONAL_AGENDA


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct horse battery staple")
        if create:
            user.save(update_fields=["password"])

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        """Staff must sign in with TOTP; give them an authenticator unless a test asks otherwise."""
        wanted = extracted if extracted is not None else (user.is_staff or user.is_superuser)
        if create and wanted:
            give_two_factor(user)


TOTP_TEST_SECRET = "JBSWY3DPEHPK3PXP"


def give_two_factor(user) -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_TEST_SECRET)
    return TOTP_TEST_SECRET


def totp_code(secret: str = TOTP_TEST_SECRET) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
