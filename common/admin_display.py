"""Dates in admin lists as the UN writes them in tables: "3 Dec 2026", "3 Dec 2026, 14:05" (Geneva time).

The admin shows a date column in the long form ("3 December 2026"); lists are tables. Every app's admin
uses this, so it lives in the lowest layer.
"""

import datetime as dt

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format


def long_date(value: dt.date | None) -> str:
    """For read-only fields: the admin prints a date returned by a method as 2012-02-28."""
    return date_format(value, "DATE_FORMAT") if value else "—"


def short_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def short_date_column(field: str, description: str, *, ordering: str | None = None, sortable: bool = True):
    """A list column showing ``field`` (a date, a datetime or a property giving one) in the short form.

    A computed date (a property) cannot be sorted by the database: pass ``sortable=False``.
    """

    @admin.display(description=description, ordering=(ordering or field) if sortable else None)
    def column(self, obj) -> str:
        return short_date(getattr(obj, field))

    return column
