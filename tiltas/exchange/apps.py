from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "tiltas.exchange"
    label = "exchange"
