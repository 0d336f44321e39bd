"""Sync on the server: the change feed devices pull from, and applying what they push."""
