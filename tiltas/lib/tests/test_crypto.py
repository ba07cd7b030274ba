import pytest

from tiltas.lib.crypto import DecryptionError, Keyring

pytestmark = pytest.mark.nodb


def test_round_trip_and_fresh_nonce_each_time():
    ring = Keyring.generate()
    first = ring.encrypt(b"Rasa", "people.person:1:identity")
    second = ring.encrypt(b"Rasa", "people.person:1:identity")
    assert first != second
    assert ring.decrypt(first, "people.person:1:identity") == b"Rasa"


def test_flipped_byte_is_refused_never_returns_wrong_plaintext():
    ring = Keyring.generate()
    sealed = ring.encrypt(b"secret", "a")
    prefix, key_id, body = sealed.split(":", 2)
    flipped_char = "A" if body[20] != "A" else "B"
    tampered = f"{prefix}:{key_id}:{body[:20]}{flipped_char}{body[21:]}"
    with pytest.raises(DecryptionError):
        ring.decrypt(tampered, "a")


def test_ciphertext_bound_to_its_record_and_field():
    ring = Keyring.generate()
    sealed = ring.encrypt(b"secret", "people.person:1:identity")
    with pytest.raises(DecryptionError):
        ring.decrypt(sealed, "people.person:2:identity")
    with pytest.raises(DecryptionError):
        ring.decrypt(sealed, "people.person:1:notes")


def test_old_keys_still_decrypt_after_rotation_and_retired_keys_do_not(tmp_path):
    ring = Keyring.generate()
    old = ring.encrypt(b"x", "a")
    rotated = ring.with_new_data_key()
    assert rotated.active_key_id == "k2"
    assert Keyring.key_id_of(rotated.encrypt(b"x", "a")) == "k2"
    assert rotated.decrypt(old, "a") == b"x"
    retired = rotated.without_keys_except({"k2"})
    with pytest.raises(DecryptionError):
        retired.decrypt(old, "a")
    path = tmp_path / "ring.json"
    rotated.save(path)
    assert Keyring.load(path) == rotated
    assert path.stat().st_mode & 0o077 == 0


def test_blind_index_is_keyed():
    one, other = Keyring.generate(), Keyring.generate()
    assert one.blind_index("name", "saulene") == one.blind_index("name", "saulene")
    assert one.blind_index("name", "saulene") != other.blind_index("name", "saulene")
    assert one.blind_index("name", "saulene") != one.blind_index("dob", "saulene")
