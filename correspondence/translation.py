"""Fields translated with django-modeltranslation: one column per interface language (name_fr, name_zh_hans …)."""

from modeltranslation.translator import TranslationOptions, register

from .models import NoteTemplate, Office


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("name",)


@register(NoteTemplate)
class NoteTemplateTranslation(TranslationOptions):
    fields = ("name",)
