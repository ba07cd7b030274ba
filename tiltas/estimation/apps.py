from django.apps import AppConfig


class EstimationConfig(AppConfig):
    name = "tiltas.estimation"
    label = "estimation"
