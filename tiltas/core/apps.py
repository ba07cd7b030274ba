from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiltas.core"
    label = "core"
