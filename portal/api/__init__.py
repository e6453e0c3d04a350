"""/api/v1: the integration API (Dutch API Design Rules 2.x).

- models.py      API clients (role through a service account, scopes, expiry, hashed key)
- operations.py  create / revoke / authenticate / rate limit / audit a call
- problems.py    application/problem+json with stable `type` URIs; the /api error handler
- spec.py        the OpenAPI 3 document, built with apispec from the marshmallow schemas
- v1.py          the blueprint: key check, scopes, request validation, pagination
- placements.py, candidates.py, activities.py, trajects.py, monitoring.py   the resources
- routes.py      registers the resources, /openapi.json and the documentation pages
- views.py, forms.py, cli.py   admin pages and `flask api ...` for clients
"""
