from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its commands only (`load_demo`, `seed_scale`): it has no models."""

    name = "chibo.demo"
    label = "demo"
