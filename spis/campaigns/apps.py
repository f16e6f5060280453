from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "spis.campaigns"
    label = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from spis.registry.signals import demo_built

        demo_built.connect(_seed_demo, dispatch_uid="campaigns-seed-demo")


def _seed_demo(sender, actor="system:demo", **kwargs) -> None:
    # The demo registry comes with the demo campaign reproducing the March 2023 letter.
    from .seed import seed_demo_campaign

    seed_demo_campaign(actor)
