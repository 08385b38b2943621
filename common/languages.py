"""The six official languages of the United Nations, in which documents, reports and notes are written."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    # In the order the UN lists them (alphabetical in English).
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


# The interface speaks Django's language codes, documents the two-letter codes above. Only Chinese differs.
_CONTENT_FROM_INTERFACE = {"zh-hans": Language.CHINESE, "zh": Language.CHINESE}
_INTERFACE_FROM_CONTENT = {Language.CHINESE: "zh-hans"}


def content_language(interface_code: str | None) -> str:
    """The document language (Language value) for an interface language code: "zh-hans" → "zh"; unknown → "en"."""
    code = (interface_code or "en").lower()
    if code in _CONTENT_FROM_INTERFACE:
        return _CONTENT_FROM_INTERFACE[code]
    code = code.split("-")[0]
    return code if code in Language.values else Language.ENGLISH


def interface_language(content_code: str) -> str:
    """The interface language code (settings.LANGUAGES) for a document language: "zh" → "zh-hans"."""
    return _INTERFACE_FROM_CONTENT.get(content_code, content_code)


def translated(instance, field: str, language: str, *, fallback: bool = True) -> str:
    """A translated field (django-modeltranslation) in a content language ("zh" for Chinese), read explicitly.

    Letters and lists are written in their own language, not the reader's interface language, so they never
    read ``instance.<field>`` (which follows the active language): they ask for the language they are in.
    English stands in when the translation is missing, unless ``fallback`` is False (then "").
    """
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname

    value = getattr(instance, build_localized_fieldname(field, interface_language(language)), None)
    if not value and fallback:
        value = getattr(instance, build_localized_fieldname(field, settings.MODELTRANSLATION_DEFAULT_LANGUAGE), None)
    return value or ""


def translation_columns(path: str) -> list[str]:
    """A translated field and its columns in every language, for ``only()`` across a relation.

    ``only("meeting__title")`` would load the ``title`` column alone, and reading ``meeting.title`` (which reads
    title_<language>) would then cost one query per row: name them all, e.g.
    ``only(*translation_columns("meeting__title"))``.
    """
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname

    return [path, *(build_localized_fieldname(path, code) for code, _ in settings.LANGUAGES)]
