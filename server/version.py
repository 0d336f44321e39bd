"""The server version, reported by /v1/health."""

VERSION = "0.1.0"

# The oldest desktop app this server still syncs with.
MIN_APP_VERSION = "0.1.0"
