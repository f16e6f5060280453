from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "spis.outreach"
    label = "outreach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from spis.registry.signals import demo_built

        demo_built.connect(_seed_demo, dispatch_uid="outreach-seed-demo")


def _seed_demo(sender, actor="system:demo", **kwargs) -> None:
    # Demo contacts (titles only) and signatories, so the seed campaign's letter can be addressed.
    from .actions import seed_demo

    seed_demo(actor)
