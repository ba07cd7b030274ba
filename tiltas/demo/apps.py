from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tiltas.demo"
    label = "demo"
