"""Arrows for the stylesheet: Lucide chevrons recoloured per palette (see app/ui/theme.py)."""
