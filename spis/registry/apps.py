from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "spis.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import shown
        from .generation import changed, watched

        # Per model rather than for every sender: a model with no delete listener is deleted in one statement
        # (Django loads every row of a queryset it deletes to send signals otherwise), and the rebuild
        # deletes a whole import's custody spells.
        for model in apps.get_models(include_auto_created=True):
            if watched(model):
                label = model._meta.label_lower
                post_save.connect(changed, sender=model, dispatch_uid=f"registry-generation-save:{label}")
                post_delete.connect(changed, sender=model, dispatch_uid=f"registry-generation-delete:{label}")
        # An edit in place of a source, facility, organisation or case is a change to the people it shows with.
        for model in shown.WATCHED:
            label = model._meta.label_lower
            pre_save.connect(shown.before_save, sender=model, dispatch_uid=f"registry-shown-before:{label}")
            post_save.connect(shown.after_save, sender=model, dispatch_uid=f"registry-shown-after:{label}")
        # A name saved or deleted in place (the admin's inline) is a change to its person (shown.name_saved).
        name = apps.get_model("registry", "Name")
        pre_save.connect(shown.name_before_save, sender=name, dispatch_uid="registry-name-before")
        post_save.connect(shown.name_saved, sender=name, dispatch_uid="registry-name-saved")
        post_delete.connect(shown.name_deleted, sender=name, dispatch_uid="registry-name-deleted")
        # So is a citation (shown.citation_saved): its level decides who reads its source.
        citation = apps.get_model("registry", "Citation")
        pre_save.connect(shown.citation_before_save, sender=citation, dispatch_uid="registry-citation-before")
        post_save.connect(shown.citation_saved, sender=citation, dispatch_uid="registry-citation-saved")
        post_delete.connect(shown.citation_deleted, sender=citation, dispatch_uid="registry-citation-deleted")
