"""DejaVu Sans for the printed documents (Bitstream Vera licence, see LICENSE and README.md)."""
