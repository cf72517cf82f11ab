"""Backfills: years of articles summarized at once, spread over the cores and GPUs of a Ray
cluster (cluster.py, `summarize backfill`), from folders of pages or JSON Lines / Parquet files
of one article a row (corpus.py). Ray is an optional extra: `pip install 'summarize[cluster]'`."""
