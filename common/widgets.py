"""A form renderer that writes the common widgets in Python, for forms with many fields on one page.

Django renders every widget through its templates (an include per option, per attribute list): about
half a millisecond each, so the delegation form's member rows cost more than the rest of the page.
``PythonWidgetRenderer`` writes the same HTML as those templates (tests/test_widgets.py compares
them) for inputs, selects and checkbox lists, and hands any other template to Django. The attributes
come from the widget's own context, so what Django adds there (``aria-describedby``, ``aria-invalid``,
``required``, ``maxlength``) is kept.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe


def conditional_escape(value) -> str:
    """Django's conditional_escape without its laziness checks (five hundred calls a page): HTML-safe values
    as they are, anything else escaped exactly as django.utils.html.escape does."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


# An option is written as Django's {% include %} of its template leaves it: with the template file's
# last newline (two for a checkbox, whose template includes another), so the HTML is the same to the byte.
def _input_option(widget: dict) -> str:
    if not widget["wrap_label"]:
        return f"{_input(widget)}\n\n\n"
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>\n\n"


def _select_option(widget: dict) -> str:
    return (
        f'<option value="{conditional_escape(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{conditional_escape(widget['label'])}</option>\n"
    )


_OPTIONS = {
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
}


def _option(option: dict) -> str:
    return _OPTIONS[option["template_name"]](option)


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: dict) -> str:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{conditional_escape(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


_INPUTS = ("text", "email", "hidden", "number", "checkbox", "password", "url", "tel", "search", "date", "file")
_WIDGETS = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
}


class PythonWidgetRenderer(DjangoTemplates):
    """Django's template renderer, except for the widgets listed above (the same HTML, written in Python)."""

    def render(self, template_name, context, request=None):
        write = _WIDGETS.get(template_name)
        if write is None or "widget" not in context:
            return super().render(template_name, context, request=request)
        return mark_safe(write(context["widget"]))  # every value above went through conditional_escape
