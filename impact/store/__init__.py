"""The DuckDB store: one file, opened once per process, upgraded by numbered migrations."""

from impact.store.connection import Store, StoreUnavailable, WriteTransaction

__all__ = ["Store", "StoreUnavailable", "WriteTransaction"]
