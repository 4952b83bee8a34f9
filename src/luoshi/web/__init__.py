"""The web service: JSON API under /api/v1, server-rendered pages, sign-in. Thin: it parses the
request, calls one service (luoshi.services) and picks a response.

Build it with `luoshi.web.app.create_app(settings)`.
"""
