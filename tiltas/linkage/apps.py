from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "tiltas.linkage"
    label = "linkage"

    def ready(self) -> None:
        from tiltas.core.encryption import EncryptedField, register_encrypted_field
        from tiltas.linkage.models import LinkDecision

        register_encrypted_field(
            EncryptedField(
                model=LinkDecision,
                field="note_ciphertext",
                associated_data=LinkDecision.note_associated_data,
            )
        )
