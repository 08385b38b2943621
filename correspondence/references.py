"""Reference numbers of issuing offices, built from a pattern of tokens.

``No: {seq:03} Lao PM.GE.{yy}`` gives ``No: 047 Lao PM.GE.11``;
``ODA/{yyyy}-{seq:05}`` gives ``ODA/2023-00050``; ``{code}`` is the office code.
Any other text is kept as it is.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

TOKEN = re.compile(r"\{(?P<name>seq|yy|yyyy|code)(?::(?P<pad>0\d))?\}")
ANY_BRACE = re.compile(r"[{}]")


def format_reference(pattern: str, *, seq: int, year: int, code: str = "") -> str:
    """The reference a pattern gives; "" for an office without a pattern."""

    def replace(match: re.Match) -> str:
        name, pad = match["name"], match["pad"]
        if name == "seq":
            return str(seq).zfill(int(pad[1:])) if pad else str(seq)
        if name == "yy":
            return f"{year % 100:02d}"
        if name == "yyyy":
            return f"{year:04d}"
        return code

    return TOKEN.sub(replace, pattern)


def validate_reference_pattern(pattern: str) -> None:
    if not pattern:
        return  # an office that issues without numbers
    names = [m["name"] for m in TOKEN.finditer(pattern)]
    if names.count("seq") != 1:
        raise ValidationError(gettext("The pattern needs exactly one {seq} token, e.g. {seq:03}."))
    if "yy" not in names and "yyyy" not in names:
        # Numbers restart each year: without the year, references would repeat.
        raise ValidationError(gettext("The pattern needs the year, {yy} or {yyyy}: numbers restart each year."))
    leftover = ANY_BRACE.search(TOKEN.sub("", pattern))
    if leftover:
        raise ValidationError(
            gettext("Unknown token in the pattern. Use {seq}, {seq:03} (padding), {yy}, {yyyy}, {code} and plain text.")
        )
