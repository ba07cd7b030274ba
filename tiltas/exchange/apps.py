from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "tiltas.exchange"
    label = "exchange"

    def ready(self) -> None:
        from tiltas.core.encryption import EncryptedField, register_encrypted_field
        from tiltas.exchange.models import ImportRun
        from tiltas.exchange.registry import kinds_autodiscover

        for field, associated_data in (
            ("upload_ciphertext", ImportRun.upload_associated_data),
            ("errors_ciphertext", ImportRun.errors_associated_data),
        ):
            register_encrypted_field(
                EncryptedField(model=ImportRun, field=field, associated_data=associated_data)
            )
        kinds_autodiscover()
