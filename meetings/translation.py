"""Fields translated with django-modeltranslation: one column per interface language (title_fr, title_zh_hans …)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Document, Meeting


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title",)


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)
