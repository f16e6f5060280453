from django.contrib import admin

from . import admin_review  # noqa: F401  (registers the duplicate review queue)
from .messages import render
from .models import ImportBatch, ImportRow


class ImportRowInline(admin.TabularInline):
    model = ImportRow
    extra = 0
    can_delete = False
    fields = ["line", "outcome", "shown_messages", "person"]
    readonly_fields = fields
    show_change_link = False

    @admin.display(description="messages")
    def shown_messages(self, row: ImportRow) -> str:
        # In words (the stored JSON holds templates and their parameters), in the admin's language.
        return "; ".join(render(m) for m in row.messages)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    # Provenance is read-only: batches are written by the import, never edited by hand.
    list_display = ["file_name", "status", "actor", "created_at", "mapping"]
    list_filter = ["status", "format", "mapping"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name != "content"]
    inlines = [ImportRowInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
