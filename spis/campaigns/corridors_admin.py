"""Staff editing of the corridor model's YAML, with history. Imported at the end of campaigns/admin.py.

The form loads the text with the corridor loader before anything is saved; a ScenarioError's problems are
shown as the field's errors, each with its line and column, so an editor can find the mistake in the text.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from spis.corridors import ScenarioError

from . import corridors_actions
from .corridors_models import CorridorModel


def problem_messages(exc: ScenarioError) -> list[str]:
    """One message per problem, `line L, column C: reason`, as the form shows them."""
    out = []
    for problem in exc.problems:
        where = f"line {problem.line}, column {problem.column or 1}: " if problem.line is not None else ""
        out.append(f"{where}{problem.message}")
    return out or [exc.render()]


class CorridorModelForm(forms.ModelForm):
    class Meta:
        model = CorridorModel
        fields = ["slug", "title", "is_default", "source_note", "yaml_text"]
        widgets = {
            "yaml_text": forms.Textarea(
                attrs={"rows": 40, "cols": 120, "spellcheck": "false", "class": "vLargeTextField"}
            )
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_default and not cleaned.get("is_default"):
            self.add_error(
                "is_default", "Mark another corridor model as the default instead of unmarking this one."
            )
        text = cleaned.get("yaml_text")
        if text is not None:
            try:
                corridors_actions.check(text, cleaned.get("slug") or self.instance.slug)
            except ScenarioError as exc:
                self.add_error("yaml_text", ValidationError(problem_messages(exc)))
        return cleaned


@admin.register(CorridorModel)
class CorridorModelAdmin(SimpleHistoryAdmin):
    form = CorridorModelForm
    list_display = ["slug", "title", "is_default", "updated_at"]
    list_filter = ["is_default"]
    search_fields = ["slug", "title", "source_note"]
    readonly_fields = ["updated_at"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # A model that a published figure was computed from stays; mark another one default instead.
        return False

    def save_model(self, request: Any, obj: CorridorModel, form: Any, change: bool) -> None:
        # The form has already set the fields on obj; the action validates again, saves and audits.
        corridors_actions.save_corridor_model(request.user, obj)
