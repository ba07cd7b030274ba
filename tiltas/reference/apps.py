from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "tiltas.reference"
    label = "reference"
