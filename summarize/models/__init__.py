"""The models: the registry of entries (registry), where their files come from (hub), the engines
that run them (engines/), and the two stages built on them (translator, summarizer) with their
cache."""
