from django.contrib import admin

from spis.registry.admin_base import VisibleRowsMixin

from . import actions
from .models import Contact, LetterLog, Signatory


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "organisation", "language", "is_synthetic"]
    list_filter = ["language", "is_synthetic"]
    search_fields = ["name", "title", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        # Through actions, so the change lands in the audit log like every other write.
        actions.save_contact(request.user, obj)


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "order", "is_synthetic"]
    search_fields = ["name", "role", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        actions.save_signatory(request.user, obj)


@admin.register(LetterLog)
class LetterLogAdmin(VisibleRowsMixin, admin.ModelAdmin):
    # A letter logged before its person was sealed must not name them to an editor without a grant.
    list_display = ["person", "volunteer", "sent_on", "recorded_at"]
    list_filter = ["sent_on"]
    readonly_fields = ["person", "volunteer", "sent_on", "recorded_at"]

    def has_add_permission(self, request):
        # Letters are logged from the letter page (actions.record_letter), which checks the person is public.
        return False
