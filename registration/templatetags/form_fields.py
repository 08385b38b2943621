"""``{% form_field field %}``: templates/_field.html written in Python, for pages with many fields.

The delegation form shows about forty fields; including _field.html for each cost more than the rest of
the page. The HTML is the same to the byte (tests/test_widgets.py compares them).
"""

from django import template
from django.utils.safestring import mark_safe

from common.widgets import conditional_escape

register = template.Library()


@register.simple_tag
def form_field(field):
    errors = field.errors
    opening = '<div class="field has-error">\n  ' if errors else '<div class="field">\n  '
    if field.is_hidden:
        return mark_safe(f"{opening}{field}\n</div>\n")  # the widget's HTML is already escaped
    required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
    help_id = f"{conditional_escape(field.auto_id)}_helptext"  # the id the widget's aria-describedby names
    help_text = (
        f'<small class="muted" id="{help_id}">{conditional_escape(field.help_text)}</small>' if field.help_text else ""
    )
    messages = "".join(f'<p class="error-text" role="alert">{conditional_escape(e)}</p>' for e in errors)
    return mark_safe(  # every value is escaped above or is a widget's own HTML
        f'{opening}\n  <label for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}'
        f"{required}</label>\n  {field}\n  {help_text}\n  {messages}\n  \n</div>\n"
    )
