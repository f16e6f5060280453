"""Staff preview and download of documents; letter-writing pages for volunteers."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from spis.access.roles import EDITOR, VOLUNTEER, at_least

from . import actions, queries
from . import render as documents
from .figures import FigureError
from .forms import DocumentForm, LetterForm
from .models import Contact


def _require(request, role):
    """Sign-in page for anonymous visitors; 404 for signed-in users below the role (no existence leak)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not at_least(request.user, role):
        raise Http404("Not available")
    return None


def index(request):
    denied = _require(request, EDITOR)
    if denied:
        return denied
    from spis.campaigns.models import Campaign

    return render(
        request,
        "outreach/site/index.html",
        {
            "campaigns": Campaign.objects.all(),
            "contacts": Contact.objects.select_related("organisation"),
            "form": DocumentForm(contacts=Contact.objects.all()),
        },
    )


def document(request, slug):
    """A document for a campaign: HTML preview in the browser, or a PDF / text download."""
    denied = _require(request, EDITOR)
    if denied:
        return denied
    from spis.campaigns.models import Campaign

    campaign = get_object_or_404(Campaign, slug=slug)
    contacts = Contact.objects.all()
    form = DocumentForm(request.GET or None, contacts=contacts)
    if not form.is_valid():
        return render(
            request,
            "outreach/site/index.html",
            {"campaigns": Campaign.objects.all(), "contacts": contacts, "form": form, "campaign": campaign},
            status=400,
        )
    data = form.cleaned_data
    recipients = list(Contact.objects.filter(pk__in=data["to"]).order_by("pk"))
    try:
        doc = documents.render_document(
            data["kind"], campaign, lang=data["lang"], as_of=data["as_of"], recipients=recipients
        )
    except (documents.DocumentError, FigureError) as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    fmt = data["format"]
    payload = documents.output(doc, fmt)
    types = {"html": "text/html", "pdf": "application/pdf", "txt": "text/plain"}
    response = HttpResponse(
        payload, content_type=f"{types[fmt]}; charset=utf-8" if fmt != "pdf" else types[fmt]
    )
    if fmt != "html":
        name = f"{slug}-{doc.kind}-{doc.lang}-{doc.as_of.isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def write_list(request):
    denied = _require(request, VOLUNTEER)
    if denied:
        return denied
    return render(
        request,
        "outreach/site/write_list.html",
        {"suggestions": queries.suggestions(timezone.now().date(), request.user)},
    )


def write_person(request, public_id):
    denied = _require(request, VOLUNTEER)
    if denied:
        return denied
    person = queries.get_writable_person(public_id)
    if person.public_id != public_id:
        return redirect("outreach:write-person", public_id=person.public_id)
    form = LetterForm(request.POST or None, initial={"sent_on": timezone.now().date()})
    if request.method == "POST" and form.is_valid():
        actions.record_letter(request.user, person, form.cleaned_data["sent_on"])
        return redirect("outreach:write-person", public_id=person.public_id)
    facility = person.current_facility
    from spis.access import policy

    return render(
        request,
        "outreach/site/write_person.html",
        {
            "person": person,
            "in_custody": person.status == person.Status.IN_CUSTODY,
            "facility": facility,
            "birth": policy.birth_date_for(None, person),
            "transfer": queries.last_transfer(person),
            "letters": queries.letter_summary(person, request.user),
            "form": form,
            "title": _("Write to %(name)s") % {"name": person.display_name},
        },
    )
