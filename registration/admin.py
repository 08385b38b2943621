from django.contrib import admin

from .models import FocalPoint


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "state", "organisation", "approved_at"]
    list_filter = ["approved_at"]
    search_fields = ["user__email", "state__name_en", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["user", "state", "organisation"]
