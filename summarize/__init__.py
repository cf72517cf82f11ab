"""summarize: Vietnamese news articles in, an English daily brief out, with local models only.

    from summarize import Session, Settings
    report = Session(Settings.resolve(config=Path("models.yaml"))).run(Path("seeds"))
"""

import importlib

__version__ = "0.1.0"

# What the library exports, and the module each lives in (imported on first use, so
# `import summarize` and `summarize --help` stay fast).
_EXPORTS = {
    "Session": "session",
    "RunReport": "report",
    "Settings": "settings",
    "SummarizeError": "errors",
    "Article": "article",
}

__all__ = ["Article", "RunReport", "Session", "Settings", "SummarizeError", "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'summarize' has no attribute {name!r}")
