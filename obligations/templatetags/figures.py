"""Money and percentages in tables, written as ``floatformat`` writes them, at a tenth of its cost.

The cost shares table formats two figures for each of its 120 or more States: through ``floatformat``
that was a sixth of the page's time with nothing kept (it rebuilds a Decimal from text, and
``number_format`` asks for the locale's formats on every call).
"""

from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()


@cache
def _separators(language: str) -> tuple[int, str, str]:
    """The grouping and separators of ``language`` (the active one): get_format costs three times the rest."""
    return get_format("NUMBER_GROUPING"), get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


@receiver(setting_changed)
def _forget_separators(**kwargs):
    _separators.cache_clear()


@register.filter(is_safe=True)
def fixed(value, arg="2"):
    """``floatformat:arg`` for a Decimal with ``arg`` a number of places, optionally followed by "g" (grouped):
    the same text. Anything else (a float, negative places, a grouping other than by three) goes to floatformat."""
    arg = str(arg)
    grouped = arg.endswith("g")
    places = arg.removesuffix("g")
    if not (isinstance(value, Decimal) and value.is_finite() and places.isdigit()):
        return floatformat(value, arg)
    grouping, decimal_separator, thousand_separator = _separators(get_language())
    if grouping != 3:
        return floatformat(value, arg)
    places = int(places)
    digits = max(value.adjusted() + 1, 0) + places + 1
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, Context(prec=max(28, digits)))
    if not rounded:
        rounded = abs(rounded)  # floatformat writes no "-0.00"
    text = f"{rounded:{',' if grouped or settings.USE_THOUSAND_SEPARATOR else ''}.{places}f}"
    if (decimal_separator, thousand_separator) != (".", ","):
        text = text.translate({ord("."): decimal_separator, ord(","): thousand_separator})
    return text
