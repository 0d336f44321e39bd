"""Letterheads of the printed documents, one per municipality (see letterheads.json)."""
