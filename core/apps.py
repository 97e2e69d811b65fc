from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing: transactions, the outbox, keyset pagination, the replica router,
    the API's authentication and throttles, log-in limits, page helpers, admin base classes."""

    name = "core"
    verbose_name = "Plumbing"
