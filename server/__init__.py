"""Veldwerk central office server."""
