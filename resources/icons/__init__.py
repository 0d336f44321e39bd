"""SVG icons from Lucide (ISC licence, see LICENSE and README.md in this folder)."""
