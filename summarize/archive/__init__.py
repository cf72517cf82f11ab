"""The desk's memory (desk.py): every day's articles archived beside the briefs (store.py, SQLite
with full-text search), today's stories linked to the same stories on earlier days
(threads.py), searching it (search.py) and the watchlist matched in every brief (watchlist.py)."""
