"""summarize: Vietnamese news articles in, an English daily brief out, with local models only.

    from summarize import run, RunOptions, load_registry
    report = run(Path("seeds"), RunOptions(registry=load_registry(Path("models.yaml"))))
"""

__version__ = "0.1.0"

__all__ = ["RunOptions", "RunReport", "load_registry", "run", "__version__"]


def __getattr__(name: str):
    """Import the pipeline on first use, so `summarize --help` stays fast."""
    if name in ("RunOptions", "RunReport", "run"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "load_registry":
        from .registry import load_registry

        return load_registry
    raise AttributeError(f"module 'summarize' has no attribute {name!r}")
