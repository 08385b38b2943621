"""The cost shares table's numbers filter writes what floatformat writes, in every language the portal speaks."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation

from obligations.templatetags.figures import fixed

EDGES = ["0", "-0", "-0.00005", "0.00005", "999.995", "1E+3", "12.345650", "1234567.125", "-1234.5", "0.000049"]


def decimals() -> list[Decimal]:
    draw = random.Random(14)  # the same numbers every run
    return [Decimal(e) for e in EDGES] + [
        Decimal(draw.randint(-(10**12), 10**12)).scaleb(-draw.randint(0, 8)) for _ in range(2000)
    ]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_fixed_writes_what_floatformat_writes(language):
    with translation.override(language):
        for value in decimals():
            for arg in ["4", "2g", "2", "0", "0g", "6"]:
                assert fixed(value, arg) == floatformat(value, arg), (value, arg)


def test_fixed_follows_the_thousand_separator_setting_and_leaves_floats_to_floatformat():
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert fixed(Decimal("1234567.891"), "4") == floatformat(Decimal("1234567.891"), "4") == "1,234,567.8910"
    assert fixed(1234.5678, "2g") == floatformat(1234.5678, "2g") == "1,234.57"
    assert fixed(Decimal("2.5"), "-2") == floatformat(Decimal("2.5"), "-2") == "2.50"
