from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tiltas.audit"
    label = "audit"
