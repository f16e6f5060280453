"""What every staff admin shares: nothing is deleted from the admin, and provenance is read-only.

Deleting from the admin is switched off for registry, intake and campaign models (history stays in
django-simple-history and the audit log); audit entries, import provenance and judgements are written by
the code that acts, never added or edited by hand.
"""


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
