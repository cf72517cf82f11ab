"""Where a model's files are: a local directory, the Hugging Face cache, or a download.

Only this module talks to the hub (through huggingface_hub), so offline mode and the
missing-model message live in one place. Engines that have model files call it.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .errors import ModelUnavailable

if TYPE_CHECKING:
    from .registry import ModelSpec

# Weight formats we never need (TensorFlow, Flax, Rust, ONNX, training state).
_SKIP = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "*onnx*", "*.ckpt", "*.pt", "*.pth", "tf_*", "flax_*", "rust_*"]


def _unavailable(spec: ModelSpec, why: str) -> ModelUnavailable:
    if spec.is_local:
        fix = "build or copy the model into that directory, or point models.yaml at another one"
    else:
        fix = (
            f"run `summarize models pull {spec.name}` on a connected machine (then copy the Hugging Face cache), "
            "or point this entry's 'model' in models.yaml at a local directory"
        )
    return ModelUnavailable(f"{spec.stage} model {spec.name!r} ({spec.model}) is not available: {why}", fix)


def local_path(spec: ModelSpec) -> Path | None:
    """The model's directory if it is already on disk, without touching the network."""
    if spec.is_local:
        path = Path(spec.model)
        return path if (path / "config.json").is_file() else None
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = Path(snapshot_download(spec.model, revision=spec.revision, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    return path if _has_weights(path) else None


def _has_weights(path: Path) -> bool:
    weights = any(path.glob("*.safetensors")) or any(path.glob("pytorch_model*.bin"))
    return (path / "config.json").is_file() and weights


def resolve(spec: ModelSpec, offline: bool = False) -> Path:
    """The model's directory, downloading it (with a progress bar) unless `offline`."""
    path = local_path(spec)
    if path is not None:
        return path
    if spec.is_local:
        raise _unavailable(spec, "no model (config.json) in that directory")
    if offline:
        raise _unavailable(spec, "it is not in the local Hugging Face cache and offline mode is on")
    return download(spec)


def _reachable(url: str, timeout: float = 5.0) -> str | None:
    """None if the hub's host accepts a connection, else why not. The hub client retries a
    dead network for half a minute; this answers in seconds. Skipped behind a proxy."""
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return None
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 443), timeout=timeout).close()
    except OSError as exc:
        return f"cannot reach {parsed.hostname}: {exc.strerror or exc}"
    return None


def download(spec: ModelSpec) -> Path:
    """Fetch config, tokenizer and one weight format from the hub: safetensors when the repo
    has them, else pytorch_model.bin (a second, narrower request)."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.utils import logging as hub_logging

    hub_logging.set_verbosity_error()  # our message says what failed; no retry chatter
    if problem := _reachable(constants.ENDPOINT):
        raise _unavailable(spec, f"download failed ({problem})")
    try:
        path = Path(snapshot_download(spec.model, revision=spec.revision, ignore_patterns=_SKIP + ["*.bin"]))
        if not _has_weights(path):
            path = Path(snapshot_download(spec.model, revision=spec.revision, allow_patterns=["pytorch_model*.bin"]))
    except Exception as exc:  # network, auth, missing repo or revision: all end the same way
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _unavailable(spec, f"download failed ({reason})") from None
    if not _has_weights(path):
        raise _unavailable(spec, "the repository has no PyTorch weights")
    return path
