from pathlib import Path

from spis.intake import importer
from spis.registry.models import AuditEntry, Case, Citation, Event, Facility, Name, Person, Source

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run(name: str, data: bytes | None = None, **options):
    options.setdefault("mapping", "viasna")
    return importer.run_import(fixture(name) if data is None else data, file_name=name, **options)


def registry_counts() -> dict[str, int]:
    models = (Person, Name, Event, Citation, Source, Case, Facility, AuditEntry)
    return {m.__name__: m.objects.count() for m in models}
