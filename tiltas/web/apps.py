from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tiltas.web"
    label = "web"
