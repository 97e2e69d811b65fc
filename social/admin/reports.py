"""The report queue: where moderators work.

Open reports oldest first, the reported content inline, and actions that call
social.moderation.services, each after a page asking for a reason.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.timesince import timesince

from accounts.models import User
from core.admin_base import AgeFilter, ReadOnlyAdmin, admin_link
from social.moderation import selectors, services
from social.moderation.admin_actions import (
    ModerationActionsMixin,
    Step,
    comment_step,
    post_step,
    thumbnail_html,
    user_step,
)
from social.moderation.models import Report

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class TargetKindFilter(admin.SimpleListFilter):
    title = "target"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [("post", "Post"), ("comment", "Comment"), ("user", "Account")]

    def queryset(self, request, queryset):
        if self.value() in {"post", "comment", "user"}:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports unless asked otherwise: the queue is what moderators come for."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Report.Status.choices, (self.ALL, "All")]

    def selected(self):
        return self.value() or Report.Status.OPEN

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


class GroupingFilter(admin.SimpleListFilter):
    """One row per reported target unless asked otherwise: its oldest report (of the status
    shown) stands for all of them and the row says how many are open. The actions act on the
    target, so working that row works all its reports."""

    title = "rows"
    parameter_name = "rows"
    PER_TARGET = "target"
    PER_REPORT = "report"

    def lookups(self, request, model_admin):
        return [(self.PER_TARGET, "One per reported target"), (self.PER_REPORT, "One per report")]

    def selected(self):
        return self.value() if self.value() == self.PER_REPORT else self.PER_TARGET

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.selected() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.selected() == self.PER_REPORT:
            return queryset
        grouped = Q()
        for field in ("post", "comment", "user"):
            first = (
                Report.objects.filter(**{field: OuterRef(field), "status": OuterRef("status")})
                .order_by("created_at", "pk")
                .values("pk")[:1]
            )
            grouped |= Q(**{f"{field}__isnull": False, "pk": Subquery(first)})
        return queryset.filter(grouped)


def _author_of(report):
    if report.post_id:
        return report.post.author
    if report.comment_id:
        return report.comment.author
    return report.user


def _target_key(report):
    return (report.target_kind, report.post_id or report.comment_id or report.user_id)


def _open_note(report):
    n = report.open_on_target
    return f"{n} open report{'s' if n != 1 else ''} on it" if n else ""


def _runner(service, **kwargs):
    """The step's run: `service` with these arguments and the reason the moderator gives."""
    return lambda reason, **extra: service(reason=reason, **kwargs, **extra)


@admin.register(Report)
class ReportAdmin(ModerationActionsMixin, ReadOnlyAdmin):
    # Few and narrow columns, long text cut short: the queue, Waiting and Status included,
    # fits a 1280 px screen beside the filters (moderation-admin.css caps the text columns).
    list_display = [
        "report_number",
        "content",
        "author",
        "reported_by",
        "waiting",
        "status_short",
    ]
    list_display_links = ["report_number"]
    list_filter = [ReportStatusFilter, GroupingFilter, "reason", TargetKindFilter, AgeFilter]
    change_list_template = "admin/social/report/change_list.html"
    # The same joins as selectors.report_queue, so the changelist keeps all of them.
    list_select_related = [
        "reporter",
        "post__author",
        "comment__author",
        "user",
        "handled_by",
    ]
    search_fields = ["text"]  # shows the box; get_search_results does the searching
    search_help_text = (
        "A username (reporter or author), words of the report, caption or comment, or #number."
    )
    raw_id_fields = ["reporter", "post", "comment", "user", "handled_by"]
    readonly_fields = [
        "reporter",
        "reason",
        "text",
        "status",
        "handled_by",
        "handled_at",
        "created_at",
    ]
    fields = readonly_fields
    list_per_page = 50
    actions = [
        "remove_content",
        "restore_content",
        "suspend_author",
        "unsuspend_author",
        "dismiss_reports",
    ]
    change_form_template = "admin/social/report/change_form.html"

    def get_queryset(self, request):
        # Annotated before ordering: the default order uses `queue_rank`.
        return selectors.report_queue().order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Open first, oldest first; with one status shown, plain age (the queue index).
        if request.GET.get(ReportStatusFilter.parameter_name) == ReportStatusFilter.ALL:
            return ["queue_rank", "created_at", "id"]
        return ["created_at", "id"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.startswith("#") and term[1:].isdigit():
            return queryset.filter(pk=int(term[1:])), False
        people = (
            User.objects.alias(name=Lower("username"))
            .filter(name=term.lstrip("@").lower())
            .values("pk")
        )
        found = (
            Q(reporter__in=people)
            | Q(post__author__in=people)
            | Q(comment__author__in=people)
            | Q(user__in=people)
            | Q(text__icontains=term)
            | Q(post__caption__icontains=term)
            | Q(comment__text__icontains=term)
        )
        if term.isdigit():
            found |= Q(pk=int(term))
        return queryset.filter(found), False

    # --- Columns ------------------------------------------------------------------------------

    @admin.display(description="report", ordering="id")
    def report_number(self, obj):
        n = obj.open_on_target
        return format_html(
            '#{}<br><span class="help">{}</span>{}',
            obj.pk,
            obj.get_reason_display(),
            format_html(
                '<br><span class="moderation-count">{} open report{} on it</span>',
                n,
                "s" if n != 1 else "",
            )
            if n > 1
            else "",
        )

    @admin.display(description="reported content")
    def content(self, obj):
        if obj.post_id:
            state = " (removed)" if obj.post.removed_at else ""
            return format_html(
                '<span class="moderation-cell">{} <span>Post {}{}: {}</span></span>',
                thumbnail_html(obj.cover or obj.cover_original, 40),
                obj.post_id,
                state,
                truncatechars(obj.post.caption, 60),
            )
        if obj.comment_id:
            state = " (removed)" if obj.comment.removed_at else ""
            return format_html(
                "Comment{} on post {}: “{}”",
                state,
                obj.comment.post_id,
                truncatechars(obj.comment.text, 60),
            )
        return format_html(
            "Account @{} {}", obj.user.username, truncatechars(obj.user.display_name, 40)
        )

    @admin.display(description="author")
    def author(self, obj):
        person = _author_of(obj)
        n = obj.author_strikes
        record = f"{n} earlier removal{'s' if n != 1 else ''}/suspension{'s' if n != 1 else ''}"
        return format_html(
            '{}{}<br><span class="help">{}</span>',
            admin_link(person, f"@{person.username}"),
            " (suspended)" if person.suspended_at else "",
            record if n else "no earlier actions",
        )

    @admin.display(description="reported by")
    def reported_by(self, obj):
        if not obj.text:
            return f"@{obj.reporter.username}"
        return format_html("@{}: “{}”", obj.reporter.username, truncatechars(obj.text, 40))

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj):
        return timesince(obj.created_at).split(",")[0]

    @admin.display(description="status", ordering="status")
    def status_short(self, obj):
        # One word: "Resolved (action taken)" would widen the column past a 1280 px screen.
        return obj.get_status_display().split(" (")[0]

    # --- The report's page ----------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        report = self.get_object(request, object_id) if object_id else None
        if report is not None and request.method == "GET":
            extra_context["moderation"] = {
                **selectors.report_context(report=report),
                "report": report,
                "buttons": self._buttons(request, report),
                "next_open": selectors.next_open_report(after=report),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        # The page has one button per action (its own form); the generic select is not needed.
        context["action_form"] = None
        return super().render_change_form(request, context, *args, **kwargs)

    def _buttons(self, request, report):
        if not self.has_moderate_permission(request):
            return []
        author = _author_of(report)
        target = report.post or report.comment
        buttons = []
        if target is not None:
            noun = report.target_kind
            if target.removed_at is None:
                buttons.append(("remove_content", f"Remove {noun}", "danger"))
            else:
                buttons.append(("restore_content", f"Restore {noun}", ""))
        if author.suspended_at is None:
            buttons.append(("suspend_author", f"Suspend @{author.username}", "danger"))
        else:
            buttons.append(("unsuspend_author", f"Unsuspend @{author.username}", ""))
        if report.status == Report.Status.OPEN:
            buttons.append(("dismiss_reports", "Dismiss: nothing wrong", ""))
        return buttons

    # --- Actions --------------------------------------------------------------------------------

    def _selected(self, queryset):
        reports = selectors.report_queue(queryset).prefetch_related("post__images")
        return list(reports.order_by("created_at", "pk"))

    @admin.action(
        description="Remove the reported content",
        permissions=["moderate"],
        location=BOTH,
    )
    def remove_content(self, request, queryset):
        return self._content_action(request, queryset, restore=False)

    @admin.action(
        description="Restore the reported content",
        permissions=["moderate"],
        location=BOTH,
    )
    def restore_content(self, request, queryset):
        return self._content_action(request, queryset, restore=True)

    def _content_action(self, request, queryset, *, restore):
        reports = self._selected(queryset)
        steps, skipped, seen = [], [], set()
        moderator = request.user
        services_by_kind = {
            "post": (post_step, services.post_restore if restore else services.post_remove),
            "comment": (
                comment_step,
                services.comment_restore if restore else services.comment_remove,
            ),
        }
        for report in reports:
            key = _target_key(report)
            if key in seen:
                continue
            seen.add(key)
            if report.user_id:
                skipped.append(f"Report #{report.pk} is about an account: suspend it instead.")
                continue
            target = report.post or report.comment
            if (target.removed_at is not None) != restore:
                state = "is not removed" if restore else "is already removed"
                skipped.append(f"{report.target_kind.capitalize()} {target.pk} {state}.")
                continue
            step, service = services_by_kind[report.target_kind]
            run = _runner(
                service, moderator=moderator, report=report, **{report.target_kind: target}
            )
            steps.append(step(target, run, notes=[n for n in [_open_note(report)] if n]))
        return self.reason_step(
            request,
            title="Restore content" if restore else "Remove content",
            steps=steps,
            skipped=skipped,
            category=not restore,
        )

    @admin.action(
        description="Suspend the authors of the reported content",
        permissions=["moderate"],
        location=BOTH,
    )
    def suspend_author(self, request, queryset):
        return self._author_action(request, queryset, unsuspend=False)

    @admin.action(
        description="Unsuspend the authors of the reported content",
        permissions=["moderate"],
        location=BOTH,
    )
    def unsuspend_author(self, request, queryset):
        return self._author_action(request, queryset, unsuspend=True)

    def _author_action(self, request, queryset, *, unsuspend):
        reports = self._selected(queryset)
        steps, skipped, seen = [], [], set()
        moderator = request.user
        service = services.user_unsuspend if unsuspend else services.user_suspend
        for report in reports:
            person = _author_of(report)
            if person.pk in seen:
                continue
            seen.add(person.pk)
            if (person.suspended_at is not None) != unsuspend:
                state = "is not suspended" if unsuspend else "is already suspended"
                skipped.append(f"@{person.username} {state}.")
                continue
            steps.append(
                user_step(
                    person,
                    lambda reason, p=person, r=report, **extra: service(
                        moderator=moderator, user=p, reason=reason, report=r, **extra
                    ),
                    notes=[]
                    if unsuspend
                    else ["Their posts and comments are hidden and their open reports resolved."],
                )
            )
        return self.reason_step(
            request,
            title="Unsuspend accounts" if unsuspend else "Suspend accounts",
            steps=steps,
            skipped=skipped,
            category=not unsuspend,
        )

    @admin.action(
        description="Dismiss the reports (nothing wrong)",
        permissions=["moderate"],
        location=BOTH,
    )
    def dismiss_reports(self, request, queryset):
        reports = self._selected(queryset)
        steps, skipped, seen = [], [], set()
        moderator = request.user
        for report in reports:
            if report.status != Report.Status.OPEN:
                skipped.append(f"Report #{report.pk} is already {report.get_status_display()}.")
                continue
            key = _target_key(report)
            if key in seen:
                continue
            seen.add(key)
            notes = [
                f"Dismisses all {report.open_on_target} open reports on it."
                if report.open_on_target > 1
                else ""
            ]
            steps.append(
                Step(
                    label=f"Report #{report.pk}: {report.get_reason_display()}, "
                    f"about {report.target_kind} by @{_author_of(report).username}",
                    detail=report.text,
                    run=lambda reason, r=report: services.report_dismiss(
                        moderator=moderator, report=r, reason=reason
                    ),
                    notes=[n for n in notes if n],
                )
            )
        return self.reason_step(
            request,
            title="Dismiss reports",
            steps=steps,
            skipped=skipped,
        )
