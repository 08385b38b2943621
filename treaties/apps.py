from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = "Treaty registry"
