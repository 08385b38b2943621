"""Fields translated with django-modeltranslation: one column per interface language (name_fr, name_zh_hans …)."""

from modeltranslation.translator import TranslationOptions, register

from .models import State, Treaty


@register(State)
class StateTranslation(TranslationOptions):
    # The articles (article_fr, article_es) are grammar of one language, not translations: they stay as they are.
    fields = ("name",)


@register(Treaty)
class TreatyTranslation(TranslationOptions):
    # Shown on every page of a meeting; letters word the treaty's name themselves, per note language.
    fields = ("name", "short_name")
