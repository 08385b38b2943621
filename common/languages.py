"""The six official languages of the United Nations, in which documents, reports and notes are written."""

from django.db import models


class Language(models.TextChoices):
    # In the order the UN lists them (alphabetical in English).
    ARABIC = "ar", "Arabic"
    CHINESE = "zh", "Chinese"
    ENGLISH = "en", "English"
    FRENCH = "fr", "French"
    RUSSIAN = "ru", "Russian"
    SPANISH = "es", "Spanish"
