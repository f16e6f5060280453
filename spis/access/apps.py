from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "spis.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import ensure_groups

        # Sent once per migrated app; the last call sees every app's permissions.
        post_migrate.connect(ensure_groups, dispatch_uid="access-ensure-groups")
