"""The one way this package fingerprints data: SHA-256 of canonical JSON."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable


def digest(*parts: object, length: int | None = None) -> str:
    """A stable hex hash of JSON-serialisable parts, bytes and dataclass instances (key order
    and Unicode form do not vary); `length` shortens it for display-sized fingerprints."""
    return hashlib.sha256(_CANONICAL.encode(parts).encode()).hexdigest()[:length]


def digest_with(*first: object) -> Callable[..., str]:
    """digest(*first, *rest) as a function of `rest` (one part or more), with `first` encoded
    and hashed once: for many fingerprints that share long leading parts (every story page's
    template)."""
    start = hashlib.sha256(("[" + "".join(_CANONICAL.encode(part) + ", " for part in first)).encode())

    def finish(*rest: object) -> str:
        hashed = start.copy()
        hashed.update((", ".join(map(_CANONICAL.encode, rest)) + "]").encode())
        return hashed.hexdigest()

    return finish


def _plain(value: object) -> object:
    """What JSON cannot write as it is: bytes by their hash, a dataclass instance as its fields
    (as dataclasses.asdict gives them, without its deep copy of every value)."""
    if isinstance(value, bytes):
        return "bytes:" + hashlib.sha256(value).hexdigest()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


# one encoder for every digest (json.dumps with options builds a new one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_plain)
