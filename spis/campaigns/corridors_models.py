"""The staff-editable copy of the freight-corridor scenario file (data/corridors/default_scenario.yaml).

The text is kept verbatim (comments and all) so that line numbers in error messages match what the editor
sees; it is parsed by spis.corridors.load_scenario_text on every save (corridors_actions.py) and on every
solve. One row is the default: the one the /campaigns/corridors/ pages, the API and measure links use.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class CorridorModel(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="Short name of this copy of the model.")
    title = models.CharField(max_length=300, help_text="What this copy of the model is.")
    yaml_text = models.TextField(
        help_text="The scenario file in the format of data/corridors/default_scenario.yaml: every number "
        "with a source or `assumption:`. Checked on save; errors name the line and column."
    )
    source_note = models.TextField(
        blank=True, help_text="Where the text came from and what was changed from the shipped file, and why."
    )
    is_default = models.BooleanField(
        default=False, help_text="The model the public corridor pages, the API and measure links use."
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="Last change (UTC); cached results key on it.")
    history = HistoricalRecords()

    class Meta:
        # One default at a time is kept by corridors_actions.save_corridor_model (not a DB constraint, so the
        # admin can mark a new default in one step and the action unmarks the old one).
        ordering = ["-is_default", "slug"]

    def __str__(self) -> str:
        return f"{self.slug}: {self.title}"
