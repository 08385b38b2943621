"""The secretariat's dashboard in the reader's language: its tiles and column labels, kept per language."""

import datetime as dt

import pytest
from django.utils import translation

from ccm_portal.dashboard import dashboard, dashboard_cached

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("language", "tile", "status", "article7"),
    [
        ("en", "Delegations to review", "Submitted", "Overdue"),
        ("fr", "Délégations à examiner", "Soumises", "En souffrance"),
        ("ar", "وفود بانتظار المراجعة", "مقدَّمة", "فات موعدها ولم تُقدَّم"),
    ],
)
def test_dashboard_labels(language, tile, status, article7):
    with translation.override(language):
        board = dashboard(today=TODAY)
        assert board.attention[0].label == tile
        assert board.status_labels[0] == status
        assert [c.label for c in board.article7[0].counts][3] == article7


def test_the_kept_board_is_kept_per_language(settings):
    settings.CACHE_FIGURES = True
    with translation.override("fr"):
        french = dashboard_cached(today=TODAY)
    with translation.override("ar"):
        arabic = dashboard_cached(today=TODAY)
    assert french.attention[0].label == "Délégations à examiner"
    assert arabic.attention[0].label == "وفود بانتظار المراجعة"
