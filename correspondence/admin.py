from django.contrib import admin

from .models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "state", "city", "reference_pattern", "requires_approval"]
    list_filter = ["kind", "requires_approval"]
    search_fields = ["name", "code", "state__name_en"]
    autocomplete_fields = ["state", "members"]
    readonly_fields = ["reference_preview"]
    fieldsets = [
        (None, {"fields": ["name", "code", "kind", "state", "members"]}),
        ("Letterhead", {"fields": ["letterhead_lines", "motto", "emblem", "address", "phone", "email", "city"]}),
        ("Numbering and workflow", {"fields": ["reference_pattern", "reference_preview", "requires_approval"]}),
    ]

    @admin.display(description="Reference example")
    def reference_preview(self, obj: Office) -> str:
        return obj.reference_example(seq=47) if obj.pk else "—"
