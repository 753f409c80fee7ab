"""The ASGI application: settings, sessions and auth, security limits, HTTP routes, CLI."""
