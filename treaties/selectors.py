import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from . import rules
from .models import Participation, State, Treaty


def participations_with_status(*, treaty: Treaty, at: dt.date) -> list[tuple[Participation, rules.Status]]:
    """Every recorded participation in ``treaty`` with its status on ``at``.

    Statuses depend on computed dates, so they are resolved in Python; a treaty has
    at most a few hundred rows, fetched in one query.
    """
    rows = Participation.objects.filter(treaty=treaty).select_related("state", "treaty")
    return [(p, p.status_at(at)) for p in rows]


def participation_ids_with_status(*, participations: QuerySet[Participation], status: str, at: dt.date) -> list[int]:
    """Ids of ``participations`` whose status on ``at`` is ``status``; statuses are computed, so in Python."""
    return [p.pk for p in participations.select_related("treaty") if p.status_at(at) == status]


def states_with_status(*, treaty: Treaty, at: dt.date, statuses: Iterable[rules.Status]) -> list[State]:
    """States whose status under ``treaty`` on ``at`` is one of ``statuses``.

    Asking for NOT_PARTY includes States with no participation row at all.
    """
    wanted = set(statuses)
    found = {p.state_id: status for p, status in participations_with_status(treaty=treaty, at=at)}
    states = State.objects.order_by("name_en")
    return [s for s in states if found.get(s.pk, rules.Status.NOT_PARTY) in wanted]


def status_of(*, state: State, treaty: Treaty, at: dt.date) -> rules.Status:
    participation = Participation.objects.filter(state=state, treaty=treaty).select_related("treaty").first()
    return participation.status_at(at) if participation else rules.Status.NOT_PARTY
