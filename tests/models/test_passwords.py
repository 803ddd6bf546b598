"""Console passwords: scrypt hashes that verify the right password and nothing else."""

from __future__ import annotations

from models.passwords import N, R, hash_password, needs_rehash, verify_password


def test_right_password_verifies() -> None:
    encoded = hash_password("demo")
    assert verify_password("demo", encoded)


def test_wrong_password_fails() -> None:
    encoded = hash_password("demo")
    assert not verify_password("Demo", encoded)
    assert not verify_password("", encoded)
    assert not verify_password("demo ", encoded)


def test_each_hash_has_its_own_salt() -> None:
    first, second = hash_password("demo"), hash_password("demo")
    assert first != second
    assert verify_password("demo", first) and verify_password("demo", second)


def test_hash_names_its_parameters_and_hides_the_password() -> None:
    encoded = hash_password("值班长密码")
    scheme, n, r, p, _salt, _digest = encoded.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", N, R, 1)
    assert "值班长密码" not in encoded
    assert verify_password("值班长密码", encoded)
    assert not needs_rehash(encoded)


def test_same_salt_gives_same_hash() -> None:
    """The demo seed relies on this to be reproducible."""
    salt = bytes(range(16))
    assert hash_password("demo", salt=salt) == hash_password("demo", salt=salt)


def test_malformed_or_tampered_hash_is_a_mismatch_not_a_crash() -> None:
    encoded = hash_password("demo")
    for bad in ("", "plain-text", "md5$abc", encoded.replace("scrypt", "bcrypt"), encoded[:-4] + "AAAA"):
        assert not verify_password("demo", bad)
    parts = encoded.split("$")
    parts[1] = str(2**30)  # an absurd cost must not tie up the machine
    assert not verify_password("demo", "$".join(parts))
    assert needs_rehash("scrypt$1024$8$1$x$y")
