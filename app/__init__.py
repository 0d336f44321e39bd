"""Veldwerk desktop client."""
