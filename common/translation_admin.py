"""What the admin shows of translated fields (django-modeltranslation): which translations are still missing.

English stands in wherever a translation is missing, so nothing looks broken to a reader; staff need to see the
gaps to fill them: a list column naming the languages still missing and a filter to list those records.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname


def _other_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE]


def missing_translations_q(field: str) -> Q:
    """Records with at least one translation of ``field`` empty (NULL or "")."""
    query = Q()
    for code in _other_languages():
        column = build_localized_fieldname(field, code)
        query |= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return query


def missing_languages(obj, field: str) -> list[str]:
    """The interface language codes whose translation of ``field`` is empty on ``obj``."""
    return [code for code in _other_languages() if not getattr(obj, build_localized_fieldname(field, code), None)]


def missing_translations_filter(field: str) -> type[admin.SimpleListFilter]:
    """A list filter “translations: missing / complete” over the translations of ``field``."""

    class MissingTranslationsFilter(admin.SimpleListFilter):
        title = _("translations")
        parameter_name = "translations"

        def lookups(self, request, model_admin):
            return [("missing", _("Translations missing")), ("complete", _("All translated"))]

        def queryset(self, request, queryset):
            if self.value() == "missing":
                return queryset.filter(missing_translations_q(field))
            if self.value() == "complete":
                return queryset.exclude(missing_translations_q(field))
            return queryset

    return MissingTranslationsFilter


class MissingTranslationsMixin:
    """Adds the column ``translations_missing`` (put it in list_display) for the field named ``translated_field``."""

    translated_field = "name"

    @admin.display(description=_("Translations missing"))
    def translations_missing(self, obj) -> str:
        return ", ".join(missing_languages(obj, self.translated_field)) or "—"
