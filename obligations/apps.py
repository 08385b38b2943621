from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"
    verbose_name = "Treaty obligations (Article 7 reports, Article 14 costs)"
