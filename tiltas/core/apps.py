from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiltas.core"
    label = "core"

    def ready(self) -> None:
        # Registers the production start-up checks (secret key, demo accounts).
        from tiltas.config import startup  # noqa: F401
