from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spis.outreach import render


class LetterForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Posted on"), help_text=_("YYYY-MM-DD"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_sent_on(self):
        value = self.cleaned_data["sent_on"]
        if value > timezone.now().date():
            raise forms.ValidationError(_("A letter cannot be posted in the future."))
        return value


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=[(k, k) for k in render.KINDS])
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
    )
    as_of = forms.DateField(
        label=_("Figures as of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to = forms.TypedMultipleChoiceField(label=_("To"), coerce=int, required=False, choices=[])
    format = forms.ChoiceField(
        label=_("Format"), choices=[("html", "HTML"), ("pdf", "PDF"), ("txt", "text")], initial="html"
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(c.pk, str(c)) for c in contacts]

    def clean_as_of(self):
        value = self.cleaned_data.get("as_of") or timezone.now().date()
        if value > timezone.now().date():
            raise forms.ValidationError(_("Figures exist up to today."))
        return value
