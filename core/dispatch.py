"""The one helper every task dispatch goes through: after commit, ids only, broker outages
logged (the outbox resends what must not be lost)."""

import logging
import threading
import time

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# After the broker refuses a message, this process stops trying for a while: each attempt
# would add its connection timeout to a request, and the outbox keeps the work meanwhile.
BROKER_BACKOFF_SECONDS = 5.0
_broker = {"down_until": 0.0}
_broker_lock = threading.Lock()


def enqueue_on_commit(task, *args, using=None, **kwargs):
    """Send `task` with ids only, once the current transaction commits (at once outside one).

    Dispatching inside the transaction would let a worker run before the rows it loads exist.
    A broker that is down is logged, not raised: the write has committed, and work that must
    not be lost is in the outbox (core/outbox.py), which sends it again later.
    """
    transaction.on_commit(lambda: _send(task, args, kwargs), using=using)


def _send(task, args, kwargs):
    if task.app.conf.task_always_eager:
        # In-process: the task's own errors must surface, as a worker's would be logged.
        task.apply_async(args, kwargs)
        return
    if time.monotonic() < _broker["down_until"]:
        logger.warning("Broker marked down; %s not sent now (the outbox resends it)", task.name)
        return
    try:
        task.apply_async(args, kwargs)
    except (BrokerError, OSError) as exc:
        with _broker_lock:
            _broker["down_until"] = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning(
            "Broker unreachable; %s not sent (the outbox resends it): %s", task.name, exc
        )


def broker_backoff_reset():
    """Try the broker again on the next dispatch (tests, and after it is known to be back)."""
    _broker["down_until"] = 0.0
