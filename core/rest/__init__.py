"""Plumbing shared by every API endpoint: authentication, errors, throttles, pages, schema.

Endpoints live in `<app>/api.py`; this package holds only what they all have in common.
"""
