"""The intake screens and their widgets."""
