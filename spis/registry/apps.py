from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "spis.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .generation import changed

        post_save.connect(changed, dispatch_uid="registry-generation-save")
        post_delete.connect(changed, dispatch_uid="registry-generation-delete")
