"""The server version, reported by /v1/health."""

VERSION = "0.1.0"
