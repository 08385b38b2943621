import pytest

from correspondence import services
from correspondence.models import AddresseeGroup
from tests.factories import MeetingFactory

from . import factories


@pytest.fixture
def office(db):
    """A secretariat office that issues without approval: “TOD1/2023-001”."""
    return factories.OfficeFactory()


@pytest.fixture
def approval_office(db):
    return factories.OfficeFactory(requires_approval=True)


@pytest.fixture
def member(office):
    """A member of ``office`` who is not in the secretariat."""
    return factories.presidency_user(office)


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Eleventh Meeting of States Parties")


@pytest.fixture
def parties(db):
    """Three States Parties with a Geneva mission each, and their missions: [(state, mission), …]."""
    return [factories.party(name=f"Partyland {n}") for n in range(3)]


@pytest.fixture
def note(office, secretariat, meeting, parties):
    """A draft note verbale to the three States Parties."""
    return factories.draft(office, secretariat, meeting=meeting, groups=[AddresseeGroup.STATES_PARTIES])


@pytest.fixture
def failing_mail(settings):
    """Mail goes through factories.FailingBackend; put exceptions on ``.errors`` to make the server refuse."""
    settings.EMAIL_BACKEND = "tests.correspondence.factories.FailingBackend"
    factories.FailingBackend.errors = []
    factories.FailingBackend.calls = 0
    yield factories.FailingBackend
    factories.FailingBackend.errors = []


@pytest.fixture
def outsider(db):
    """Staff, but neither secretariat nor member of any office."""
    return factories.staff_user()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (behind ``admin_client``), with two-factor sign-in set up like all staff."""
    return factories.with_two_factor(admin_user)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a note and run what its transaction queues on commit (the dispatch of every copy)."""

    def issue(note, user, *, issue_date=factories.ISSUE_DATE, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.note_issue(note=note, user=user, issue_date=issue_date, **kwargs)

    return issue
