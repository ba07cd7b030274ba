from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tiltas.jobs"
    label = "jobs"
