from django.core.management.base import BaseCommand

from spis.intake import export, published


class Command(BaseCommand):
    help = (
        "Write the site's open-data files (the public export in each format) for the registry as it is now, "
        "where they are not there yet; the download at /intake/open-data/ serves them. Run it after a large "
        "import, or from a timer every few minutes, so that no visitor waits for an export. Prints each file."
    )

    def handle(self, *args, **options):
        for fmt in export.FORMATS:
            handle, _ = published.open_public_file(fmt)
            with handle:
                size = handle.seek(0, 2)
                self.stdout.write(f"{fmt}: {handle.name} ({size:,} bytes)")
