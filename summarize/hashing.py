"""The one way this package fingerprints data: SHA-256 of canonical JSON."""

from __future__ import annotations

import hashlib
import json


def digest(*parts: object, length: int | None = None) -> str:
    """A stable hex hash of JSON-serialisable parts and bytes (key order and Unicode form do
    not vary); `length` shortens it for display-sized fingerprints."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_bytes)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _bytes(value: object) -> str:
    if isinstance(value, bytes):
        return "bytes:" + hashlib.sha256(value).hexdigest()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
