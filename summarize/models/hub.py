"""Where a model's files are: a local directory, the Hugging Face cache, or a download.

Only this module talks to the hub (through huggingface_hub), so offline mode and the
missing-model message live in one place. Engines that have model files call it.
"""

from __future__ import annotations

import os
import pickle
import socket
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from ..errors import ModelUnavailable

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


def unloadable(spec: ModelSpec, exc: Exception) -> ModelUnavailable:
    """Why a located model could not be loaded, in one line. A pickle that holds more than
    weights is refused, and the loader's advice to load it unsafely is never passed on."""
    if isinstance(exc, pickle.UnpicklingError):
        why = "its pytorch_model.bin holds more than weights (a pickle that can run code), and only weights are loaded"
    elif type(exc).__name__ == "SafetensorError":
        why = f"its safetensors weights are damaged or incomplete ({_first_line(exc)})"
    else:
        why = f"loading failed ({_first_line(exc)})"
    error = _unavailable(spec, why)
    error.fix = (f"download it again (`summarize models pull {spec.name}`)" if not spec.is_local else
                 "rebuild or copy the model again") + ", or use a model with safetensors weights"
    return error


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_weights(spec: ModelSpec, path: Path) -> Path:
    """`path`, once every safetensors file in it reads whole (header and data: a truncated
    download or copy is caught here, before any work, not as a traceback in the loader)."""
    from safetensors import safe_open

    for weights in sorted(path.glob("*.safetensors")):
        try:
            with safe_open(weights, framework="numpy"):
                pass
        except Exception as exc:  # SafetensorError: a header or data that does not fit the file
            raise unloadable(spec, exc) from None
    return path


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
        return check_weights(spec, path)
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
        raise _unavailable(spec, f"download failed ({_first_line(exc)})") from None
    if not _has_weights(path):
        raise _unavailable(spec, "the repository has no PyTorch weights")
    return check_weights(spec, path)
