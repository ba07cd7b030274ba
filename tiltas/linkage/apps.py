from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "tiltas.linkage"
    label = "linkage"
