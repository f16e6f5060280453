from django.conf import settings
from django.core.cache import cache

from spis.registry.models import Person


def has_synthetic_data() -> bool:
    value = cache.get("spis:synthetic")
    if value is None:
        value = Person.objects.filter(is_synthetic=True).exists()
        cache.set("spis:synthetic", value, 30)
    return bool(value)


def site(request):
    return {"site_name": settings.SITE_NAME, "demo_data": has_synthetic_data()}
