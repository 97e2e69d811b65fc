"""The appeals queue: authors asking moderators to look again at a removal or suspension.

Open appeals oldest first. A moderator upholds (the decision stands) or reverses (the post,
comment or account is restored through social.moderation.services), each after the reason
page; social.moderation.appeals writes the decision's audit row and tells the author.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.timesince import timesince

from core.admin_base import AgeFilter, ReadOnlyAdmin, admin_link
from social.moderation import appeals
from social.moderation.admin_actions import ModerationActionsMixin, Step, history_html
from social.moderation.models import Appeal, ModerationAction

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class AppealStatusFilter(admin.SimpleListFilter):
    """Open appeals unless asked otherwise."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Appeal.Status.choices, (self.ALL, "All")]

    def selected(self):
        return self.value() or Appeal.Status.OPEN

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.selected() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.selected() == self.ALL:
            return queryset
        return queryset.filter(status=self.selected())


@admin.register(Appeal)
class AppealAdmin(ModerationActionsMixin, ReadOnlyAdmin):
    list_display = [
        "appeal_number",
        "decision",
        "appellant_link",
        "short_text",
        "waiting",
        "status",
    ]
    list_display_links = ["appeal_number"]
    list_filter = [AppealStatusFilter, AgeFilter]
    list_select_related = ["appellant", "action__moderator", "decided_by"]
    raw_id_fields = ["action", "appellant", "decided_by"]
    fields = [
        "decision",
        "appellant",
        "text",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
        "decisions",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    actions = ["uphold_appeals", "reverse_appeals"]

    @admin.display(description="appeal", ordering="id")
    def appeal_number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="decision appealed")
    def decision(self, obj):
        action = obj.action
        return format_html(
            '{} ({})<br><span class="help">{}</span>',
            action.get_action_display(),
            action.get_category_display(),
            truncatechars(action.target_repr, 60),
        )

    @admin.display(description="by")
    def appellant_link(self, obj):
        return admin_link(obj.appellant, f"@{obj.appellant.username}")

    @admin.display(description="why")
    def short_text(self, obj):
        return truncatechars(obj.text, 80)

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj):
        return timesince(obj.created_at).split(",")[0]

    @admin.display(description="audit log")
    def decisions(self, obj):
        rows = ModerationAction.objects.filter(appeal=obj).select_related("moderator")
        return history_html(list(rows.order_by("-created_at")))

    def _decide(self, request, queryset, *, reverse):
        steps, skipped = [], []
        moderator = request.user
        for appeal in queryset.select_related("appellant", "action").order_by("created_at", "pk"):
            if appeal.status != Appeal.Status.OPEN:
                skipped.append(f"Appeal #{appeal.pk} is already decided.")
                continue
            decided = appeal.action
            steps.append(
                Step(
                    label=f"Appeal #{appeal.pk} by @{appeal.appellant.username}: "
                    f"{decided.get_action_display()} ({decided.get_category_display()})",
                    detail=appeal.text,
                    notes=[appeal.action.target_repr],
                    run=lambda reason, a=appeal, **extra: appeals.appeal_decide(
                        moderator=moderator, appeal=a, reverse=reverse, reason=reason
                    ),
                )
            )
        return self.reason_step(
            request,
            title="Reverse on appeal" if reverse else "Uphold on appeal",
            steps=steps,
            skipped=skipped,
        )

    @admin.action(
        description="Uphold: the decision stands", permissions=["moderate"], location=BOTH
    )
    def uphold_appeals(self, request, queryset):
        return self._decide(request, queryset, reverse=False)

    @admin.action(
        description="Reverse: restore the post, comment or account",
        permissions=["moderate"],
        location=BOTH,
    )
    def reverse_appeals(self, request, queryset):
        return self._decide(request, queryset, reverse=True)
