"""summarize: Vietnamese news articles in, an English daily brief out, with local models only.

    from summarize import run, RunOptions, load_registry
    report = run(Path("seeds"), RunOptions(registry=load_registry(Path("models.yaml"))))
"""

__version__ = "0.1.0"

from .pipeline import RunOptions, RunReport, run  # noqa: E402
from .registry import load_registry  # noqa: E402

__all__ = ["RunOptions", "RunReport", "load_registry", "run", "__version__"]
