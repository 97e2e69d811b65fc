"""The one place that reads environment variables for settings."""

import os

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()


def env(name, default=_UNSET):
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _UNSET:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name, default=False):
    value = env(name, None)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(env(name, default))


def env_list(name, default=()):
    value = env(name, None)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
