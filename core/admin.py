"""The outbox: work queued by writes and not yet done (core/outbox.py)."""

from django.contrib import admin

from core.admin_base import ThroughServicesMixin
from core.models import OutboxMessage
from core.outbox import outbox_done


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ThroughServicesMixin, admin.ModelAdmin):
    """For operators to look at. A row that ran out of attempts can be deleted once its cause is
    dealt with, as a worker forgets one whose work is done."""

    list_display = ["id", "task", "args", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["task"]
    search_fields = ["=task"]
    ordering = ["next_attempt_at", "id"]
    readonly_fields = ["task", "args", "attempts", "created_at", "next_attempt_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_delete(self, request, obj):
        outbox_done(outbox_id=obj.pk)
