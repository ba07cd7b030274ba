from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tiltas.people"
    label = "people"

    def ready(self) -> None:
        from tiltas.core.encryption import EncryptedField, register_encrypted_field
        from tiltas.people.models import Person
        from tiltas.people.services import person_reindex

        register_encrypted_field(
            EncryptedField(
                model=Person,
                field="identity_ciphertext",
                associated_data=Person.identity_associated_data,
                reindex=person_reindex,
            )
        )
