"""Reference data and other static files shipped with Veldwerk."""
