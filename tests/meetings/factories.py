"""Shared by the meetings tests: admin form data, inline errors, small uploads.

The models' factories are in tests/factories.py, which every app's tests share."""

import io

from meetings.models import Meeting

INLINE_PREFIXES = ("officers", "documents", "links")


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def meeting_admin_data(meeting: Meeting | None = None, *, inlines: dict[str, list[dict]] | None = None, **fields):
    """POST data for the Meeting admin add/change form, with the management forms of its three inlines.

    ``inlines`` maps an inline prefix to the rows to submit as extra (new) forms.
    """
    data = {
        "treaty": meeting.treaty_id if meeting else "",
        "kind": meeting.kind if meeting else Meeting.Kind.INTERSESSIONAL,
        "number": meeting.number or "" if meeting else "",
        "title_en": meeting.title_en if meeting else "",  # modeltranslation: one field per language
        "slug": meeting.slug if meeting else "",
        "status": meeting.status if meeting else Meeting.Status.PLANNED,
        "preparatory_for": "",
        "description": "",
        "start_date": meeting.start_date.isoformat() if meeting else "",
        "end_date": meeting.end_date.isoformat() if meeting else "",
        "start_time": "",
        "dates_note": "",
        "format": Meeting.Format.IN_PERSON,
        "city": meeting.city if meeting else "",
        "country": "",
        "venue": meeting.venue if meeting else "",
        "venue_address": "",
        "room": "",
        "host_state": "",
        "registration_opens": "",
        "registration_deadline": "",
        "registration_deadline_reason": "",
        "delegation_details_deadline": "",
        "rsvp_contact": "",
        "rsvp_email": "",
        "rsvp_by": "",
    }
    data.update(fields)
    inlines = inlines or {}
    for prefix in INLINE_PREFIXES:
        rows = inlines.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def form_errors(response) -> dict[str, list[str]]:
    """Errors of the main form of a re-rendered (invalid) admin add/change page."""
    return {field: list(messages) for field, messages in response.context["adminform"].form.errors.items()}


def inline_errors(response, prefix: str) -> list[dict[str, list[str]]]:
    """Errors of each form of one inline formset of a re-rendered admin page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return [{field: list(messages) for field, messages in errors.items()} for errors in inline.formset.errors]
    raise AssertionError(f"no inline {prefix!r} on the page")
