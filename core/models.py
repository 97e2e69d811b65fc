"""The plumbing's only table: the transactional outbox."""

from django.db import models


class OutboxMessage(models.Model):
    """A task a write queued, kept until a worker has done it (the transactional outbox).

    Written in the same transaction as the write, so committed work is never lost when the
    broker is down: `outbox_redeliver` sends whatever is still here. See core/outbox.py.
    """

    # The task's import path, e.g. "social.tasks.notifications_deliver", and its ids.
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the redeliver job may send it next; each delivery pushes it further out.
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        # The table predates the core app (it was social's): keeping its name needs no copy.
        db_table = "social_outboxmessage"
        indexes = [models.Index(fields=["next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} (attempt {self.attempts})"
