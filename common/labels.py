"""Labels in the interface language for models and fields whose English label Django derives from a name.

A model named ``Treaty`` is shown as "treaty", a field ``short_name`` as "short name": words no catalogue
can translate. Writing ``verbose_name=_("short name")`` in the field or the Meta would fix that, but
migrations record an explicit verbose name (``Field.deconstruct`` and the Meta's original attributes), so
every such wording would become a schema migration. Set here, after the class is built, a label is what
the admin, forms and error messages show, and what migrations never see: wording stays out of the
schema's history. A label written in the field or the Meta itself is wrapped in ``gettext_lazy`` there.
"""

from django.db import models
from django.utils.functional import Promise


def translate_labels(
    model: type[models.Model],
    *,
    verbose_name: Promise | None = None,
    verbose_name_plural: Promise | None = None,
    fields: dict[str, Promise] | None = None,
) -> None:
    """Give ``model`` and the named fields lazy (translatable) labels. Call it right after the class."""
    opts = model._meta
    if verbose_name is not None:
        opts.verbose_name = verbose_name
    if verbose_name_plural is not None:
        opts.verbose_name_plural = verbose_name_plural
    for name, label in (fields or {}).items():
        opts.get_field(name).verbose_name = label
