"""The files the package ships and the configuration files a user gives (a model registry, a
glossary): where the shipped ones are (`summarize/data/`, read through importlib.resources, so a
wheel or pipx install has them too) and how any of them is read safely."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import ConfigError


def shipped(name: str) -> Path:
    """A data file that ships inside the package (models.yaml, glossary.yaml)."""
    return Path(str(resources.files("summarize").joinpath("data", name)))


MAX_CONFIG_BYTES = 10 * 1024 * 1024  # a registry or glossary file; 100,000 glossary terms take ~4 MB
MAX_CONFIG_NODES = 2_000_000  # values in a file once its aliases are expanded


def read_yaml(path: Path, what: str) -> object:
    """A configuration file's data, read with YAML's safe loader. Anchors and aliases (`&a`,
    `*a`) are allowed, but not a file that expands into more than MAX_CONFIG_NODES values
    ("billion laughs": nested aliases asking for exponential work), refused before anything
    is built. Every problem is a ConfigError naming the file."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_document(self, node):
            if _expanded_size(node, {}) > MAX_CONFIG_NODES:
                raise yaml.YAMLError(f"its aliases expand to over {MAX_CONFIG_NODES:,} values")
            return super().construct_document(node)

    path = Path(path)
    try:
        with open(path, "rb") as handle:  # read to the cap, not to a size stat() gives (a device says 0)
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: the {what} is over {MAX_CONFIG_BYTES // 2**20} MB")
        return yaml.load(data.decode("utf-8"), Loader=Loader)  # Loader is a SafeLoader
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML (nested too deeply)") from None


def _expanded_size(node, sizes: dict[int, int]) -> int:
    """How many values `node` stands for with every alias expanded (a shared node is counted
    each time it is used, computed once)."""
    if id(node) not in sizes:
        children = node.value if isinstance(node.value, list) else []
        flat = [child for item in children for child in (item if isinstance(item, tuple) else (item,))]
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in flat)
    return sizes[id(node)]
