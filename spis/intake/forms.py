from django import forms
from django.utils.translation import gettext_lazy as _

from . import batch_source
from .mapping import shipped_mappings
from .messages import render
from .readers import FORMATS

MAX_UPLOAD = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, XLSX, JSON, JSON lines)"))
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("from the file name"))] + [(f, f) for f in FORMATS]
    )
    mapping = forms.ChoiceField(label=_("Column mapping"), required=False)
    source = forms.CharField(
        label=_("Source to cite"),
        required=False,
        help_text=_(
            "The title of the publication the list comes from (default: the file). Given without a link, it is "
            "kept restricted, as it may name a person; make it public in the admin if it is a publication."
        ),
    )
    partial = forms.BooleanField(label=_("Keep the good rows when some have errors"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", _("recognise the headers"))] + [
            (m, m) for m in shipped_mappings()
        ]

    def clean_source(self):
        """The title, checked as `spis import --source` checks it (batch_source): the import cites it."""
        text = self.cleaned_data["source"]
        if not text:
            return ""
        try:
            return batch_source.from_title(text)["title"]
        except batch_source.SourceError as exc:
            raise forms.ValidationError(render(exc.reason)) from None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB; use `spis import` instead."))
        return upload
