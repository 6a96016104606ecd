"""The key, and what is made from it: keyed pseudonyms, the output's file stem, the source's digest.

A pseudonym is a role and six characters of Crockford base32 of
HMAC-SHA256(key, kind + ":" + normalised identity): "Child 7KQXM2". The same
person gets the same pseudonym wherever they are named, in one plan and, with
the same key file, across a batch; without the key nobody can say who it is.
The key is the user's secret: ``new_key`` makes one that is kept nowhere, and
``read_key`` reads one from a file the user keeps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from pathlib import Path

from ..errors import InputError

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KEY_BYTES = 32  # what new_key makes
MIN_KEY_BYTES = 16  # the shortest key file read_key accepts
MAKE_ONE = "make one with: msp-convert new-key FILE"

# Words of address, left out of a person's identity: "Mrs Rowe" and "Rowe" are one person.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd"})
_NOT_LETTERS = re.compile(r"[^\w]+")


# What redaction writes: a pseudonym or a placeholder. Met again (a redacted plan redacted again), it is kept.
ROLES = ("Child", "Parent", "Relative", "Staff", "School", "Person")
PLACEHOLDERS = ("[UPN]", "[ULN]", "[NHS number]", "[address]", "[postcode]", "[phone]", "[email]", "[date of birth]",
                "[web address]")
WRITTEN = re.compile(
    rf"\b(?:{'|'.join(ROLES)}) [{CROCKFORD}]{{6}}\b|" + "|".join(re.escape(p) for p in PLACEHOLDERS)
)


def is_pseudonym(text: str) -> bool:
    return WRITTEN.fullmatch(text.strip()) is not None


def new_key() -> bytes:
    """A random 32-byte key (``secrets``), kept nowhere: pseudonyms made with it link to nothing else."""
    return secrets.token_bytes(KEY_BYTES)


def read_key(path: Path) -> bytes:
    """The key file's bytes, stripped of surrounding white space; ``InputError`` (one line) if the
    file is missing, unreadable or shorter than 16 bytes."""
    try:
        key = Path(path).read_bytes().strip()
    except FileNotFoundError:
        raise InputError(f"The key file does not exist; {MAKE_ONE}") from None
    except OSError:
        raise InputError(f"The key file cannot be read; {MAKE_ONE}") from None
    if len(key) < MIN_KEY_BYTES:
        raise InputError(f"The key file holds fewer than {MIN_KEY_BYTES} bytes; {MAKE_ONE}")
    return key


def digest(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def base32(data: bytes, length: int) -> str:
    """The first ``length`` Crockford base32 characters of ``data`` (5 bits each, most significant first)."""
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    return "".join(CROCKFORD[(number >> (bits - 5 * (i + 1))) & 31] for i in range(length))


def normalise(name: str) -> str:
    """A name as an identity: casefolded words without titles or punctuation ("Mrs. L. Rowe" -> "l rowe")."""
    words = _NOT_LETTERS.sub(" ", name.casefold().replace("'s ", " ")).split()
    return " ".join(w for w in words if w not in TITLES)


def pseudonym(key: bytes, kind: str, identity: str, role: str) -> str:
    """``role`` and six characters keyed by the kind and the normalised identity: "Child 7KQXM2"."""
    return f"{role} {base32(digest(key, kind + ':' + normalise(identity)), 6)}"


def file_stem(key: bytes, sha256: str) -> str:
    """"plan-" and 10 base32 characters (RFC 4648, lower case) of HMAC(key, the source's sha256): the
    same for the same file and key, different for every other file, and naming nobody."""
    return "plan-" + base64.b32encode(digest(key, "stem:" + sha256)).decode("ascii")[:10].lower()


def source_digest(key: bytes, sha256: str) -> str:
    """HMAC-SHA256(key, the original sha256) in hex: links reruns with one key, reveals nothing without it."""
    return hmac.new(key, sha256.encode("ascii", "replace"), hashlib.sha256).hexdigest()
