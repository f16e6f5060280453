from django import forms
from django.utils.translation import gettext_lazy as _

from .mapping import shipped_mappings
from .readers import FORMATS

MAX_UPLOAD = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, XLSX, JSON, JSON lines)"))
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("from the file name"))] + [(f, f) for f in FORMATS]
    )
    mapping = forms.ChoiceField(label=_("Column mapping"), required=False)
    source = forms.CharField(label=_("Source to cite"), required=False, max_length=500)
    partial = forms.BooleanField(label=_("Keep the good rows when some have errors"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", _("recognise the headers"))] + [
            (m, m) for m in shipped_mappings()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB; use `spis import` instead."))
        return upload
