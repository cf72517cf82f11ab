"""The one way this package fingerprints data: SHA-256 of canonical JSON."""

from __future__ import annotations

import dataclasses
import hashlib
import json


def digest(*parts: object, length: int | None = None) -> str:
    """A stable hex hash of JSON-serialisable parts, bytes and dataclass instances (key order
    and Unicode form do not vary); `length` shortens it for display-sized fingerprints."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _plain(value: object) -> object:
    """What JSON cannot write as it is: bytes by their hash, a dataclass instance as its fields
    (as dataclasses.asdict gives them, without its deep copy of every value)."""
    if isinstance(value, bytes):
        return "bytes:" + hashlib.sha256(value).hexdigest()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
