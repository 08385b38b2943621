"""Dates and times on Arabic pages as the UN writes them: "3 ديسمبر 2026", the 24-hour clock, Monday first.

Django's own Arabic formats (django/conf/locale/ar) are kept where they fit; these replace the ones that do not:
a 12-hour clock ("3:05 م"), a comma in the long date, and no date-time or input formats at all, so that a
date-time fell back to the American "N j, Y, P" and a typed "03/12/2026" was read as the 12th of March.
Months stay Django's (أغسطس); letters write the UN's double names (آب/أغسطس) themselves (common/dates.py).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"  # Django's short date, with its right-to-left marks
FIRST_DAY_OF_WEEK = 1  # Monday, as in Geneva

# ISO first (the admin's date picker writes the first one), then day-first forms.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
# Numbers stay Django's (33333,34: a decimal comma, no grouping), which the Article 14 pages were written to.
