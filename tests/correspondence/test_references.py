"""Reference numbers: an office's pattern of tokens, checked when the office is saved."""

import pytest
from django.core.exceptions import ValidationError

from correspondence.references import format_reference, validate_reference_pattern

from .factories import OfficeFactory


@pytest.mark.parametrize(
    ("pattern", "seq", "year", "code", "expected"),
    [
        ("No: {seq:03} Lao PM.GE.{yy}", 47, 2011, "", "No: 047 Lao PM.GE.11"),
        ("No: {seq:03} Lao PM.GE.{yy}", 26, 2010, "", "No: 026 Lao PM.GE.10"),
        ("No: {seq:03} {code}.{yy}", 47, 2011, "Lao PM.GE", "No: 047 Lao PM.GE.11"),
        ("ODA/{yyyy}-{seq:05}", 50, 2023, "", "ODA/2023-00050"),
        ("{code}/{yyyy}-{seq:05}", 50, 2023, "ODA", "ODA/2023-00050"),
        ("ODA/{seq}-{yyyy}/CCM", 25, 2011, "", "ODA/25-2011/CCM"),
        ("{code}/{yyyy}/{seq:03}", 1234, 2024, "Iraq PM.GE", "Iraq PM.GE/2024/1234"),
        ("X.{yy}/{seq}", 3, 2005, "", "X.05/3"),
    ],
)
def test_format_reference(pattern, seq, year, code, expected):
    validate_reference_pattern(pattern)

    assert format_reference(pattern, seq=seq, year=year, code=code) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("ODA/{yyyy}", "exactly one {seq}"),
        ("ODA/{yyyy}-{seq}-{seq:03}", "exactly one {seq}"),
        ("ODA/{yyyy}-{seq}/{foo}", "Unknown token"),
        ("ODA/{yyyy}-{seq:3}", "exactly one {seq}"),
        ("ODA/{yyyy}-{seq} {", "Unknown token"),
        ("ODA/{yyyy}/{YYYY}-{seq}", "Unknown token"),
    ],
)
def test_bad_patterns_are_rejected(pattern, message):
    with pytest.raises(ValidationError, match=message):
        validate_reference_pattern(pattern)


@pytest.mark.django_db
def test_an_office_with_a_bad_pattern_does_not_validate():
    office = OfficeFactory.build(reference_pattern="ODA/{yyyy}-{number}")

    with pytest.raises(ValidationError) as error:
        office.full_clean()

    assert "reference_pattern" in error.value.message_dict


@pytest.mark.django_db
def test_office_reference_example():
    office = OfficeFactory(code="Lao PM.GE", reference_pattern="No: {seq:03} {code}.{yy}")

    assert office.reference_example(seq=47, year=2011) == "No: 047 Lao PM.GE.11"


@pytest.mark.parametrize("pattern", ["No: {seq:03} {code}", "ODA/{seq:05}"])
def test_a_pattern_without_the_year_is_rejected(pattern):
    """Numbers restart each year: without the year, 2024's first reference would repeat 2023's."""
    with pytest.raises(ValidationError, match="year"):
        validate_reference_pattern(pattern)
