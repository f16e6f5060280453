"""What every staff admin shares: nothing is deleted from the admin, provenance is read-only, and every page
shows only the rows the signed-in user may see.

Deleting from the admin is switched off for registry, intake and campaign models (history stays in
django-simple-history and the audit log); audit entries, import provenance and judgements are written by
the code that acts, never added or edited by hand.

What a user may see is decided by spis.access.policy, which the registry may not import (the arrows of
DESIGN.md point from access to the registry): the admin of the intake app, which may, installs the rules with
`use_visibility` when the admin loads. Until then every registry admin page fails loudly rather than show
everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import Http404


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class Visibility(Protocol):
    def rows(self, user: Any, queryset: QuerySet) -> QuerySet:
        """The rows of `queryset` that `user` may see."""
        ...

    def name_levels(self, user: Any) -> list[str]:
        """The confidentiality levels of the names `user` may see (a search matches only those)."""
        ...

    def as_seen(self, user: Any, people: Sequence[Any]) -> Sequence[Any]:
        """`people` with their derived columns (status, recognition, dates, facility) as the events `user` may
        see derive them: for display only, such an instance is never saved."""
        ...

    def filter_derived(self, user: Any, queryset: QuerySet, **lookups: Any) -> QuerySet:
        """`queryset.filter(**lookups)` on derived columns, as `user` may see them."""
        ...


_installed: dict[str, Visibility] = {}


def use_visibility(rules: Visibility) -> None:
    _installed["rules"] = rules


def visibility() -> Visibility:
    if "rules" not in _installed:
        raise ImproperlyConfigured(
            "The registry admin has no visibility rules: spis.intake.admin installs them."
        )
    return _installed["rules"]


class VisibleInlineMixin:
    """An inline's rows, and the choices of its foreign keys, only as far as the user may see them."""

    def get_queryset(self, request):
        return visibility().rows(request.user, super().get_queryset(request))

    def get_field_queryset(self, db, db_field, request):
        # A foreign key's choices (a select, the autocomplete's validation) are the related admin's rows.
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related, VisibleInlineMixin):
            return related.get_queryset(request).using(db)
        return super().get_field_queryset(db, db_field, request)


class VisibleRowsMixin(VisibleInlineMixin):
    """Every view of this admin reads get_queryset, and get_queryset holds only the rows the user may see: the
    change list (its filters, search and actions), the autocomplete and raw-id look-ups that other admins make
    into this one, and the choices of foreign keys to a model whose admin uses this mixin. A row the user may
    not see is a 404 on its change, history and delete pages, exactly as a missing one is (the stock admin
    redirects for a missing row, which would tell the two apart)."""

    def _visible_or_404(self, request, object_id) -> None:
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return  # the view itself refuses the look-up (DisallowedModelAdminToField)
        if self.get_object(request, unquote(object_id), to_field) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._visible_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history would otherwise show the stored history of a row get_queryset leaves out.
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One past version of a row (django-simple-history's admins only; it reads the history table).
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
