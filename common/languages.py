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
