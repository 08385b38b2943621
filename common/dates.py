"""Dates written out in the six languages: “21 March 2023”, “21 mars 2023”, “2023年3月21日”."""

import datetime as dt

from babel.dates import format_interval
from django.utils import translation

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    # UN Arabic documents name each month twice, the Levantine name then the Egyptian one
    # ("كانون الأول/ديسمبر"), and spell June and July يونيه/يوليه: readers across the Arab world know one or the other.
    "ar": [
        "كانون الثاني/يناير",
        "شباط/فبراير",
        "آذار/مارس",
        "نيسان/أبريل",
        "أيار/مايو",
        "حزيران/يونيه",
        "تموز/يوليه",
        "آب/أغسطس",
        "أيلول/سبتمبر",
        "تشرين الأول/أكتوبر",
        "تشرين الثاني/نوفمبر",
        "كانون الأول/ديسمبر",
    ],
}


def day_of_month(day: int, language: str) -> str:
    """French writes the first of the month “1er”."""
    return "1er" if language == "fr" and day == 1 else str(day)


def long_date(value: dt.date | None, language: str = "en") -> str:
    """21 March 2023 · 21 mars 2023 · 21 de marzo de 2023 · 2023年3月21日."""
    if value is None:
        return ""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    month = MONTHS.get(language, MONTHS["en"])[value.month - 1]
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    if language == "ru":
        return f"{value.day} {month} {value.year} года"
    return f"{day_of_month(value.day, language)} {month} {value.year}"


def short_date_range(start: dt.date, end: dt.date) -> str:
    """For lists and pickers: 23 Dec 2026 · 11–14 Sep 2023 · 30 Jun – 2 Jul 2011 · 30 Dec 2026 – 2 Jan 2027.

    In the interface's language (a picker is read, not sent): 11–14 sept. 2023 · 2023年9月11日至14日.
    """
    language = translation.get_language() or "en"
    if not language.startswith("en"):
        # CLDR's own short ranges (Babel); English keeps the UN's "Sep", which CLDR's British English writes "Sept".
        return format_interval(start, end, "yMMMd", locale=translation.to_locale(language))

    def month(day: dt.date) -> str:  # not strftime: the process locale must not change it
        return MONTHS["en"][day.month - 1][:3]

    if start == end:
        return f"{start.day} {month(start)} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {month(end)} {end.year}"
    if start.year == end.year:
        return f"{start.day} {month(start)} – {end.day} {month(end)} {end.year}"
    return f"{start.day} {month(start)} {start.year} – {end.day} {month(end)} {end.year}"
