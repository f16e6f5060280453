from django.shortcuts import render
from django.utils import timezone

from spis.stats.counts import counts


def home(request):
    as_of = timezone.now().date()
    return render(request, "web/home.html", {"stats": counts(as_of)})
