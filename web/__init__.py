"""Web plumbing shared by every app: safe redirects, page-or-fragment rendering, the answer to
a stale edit, form styling and unique slugs.

It sits below all apps of the portal and imports none of them (only Django and
django-htmx), so that each app can use it; `lint-imports` checks this.
"""
