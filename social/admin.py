"""Admin registrations for the social graph and moderation.

The report queue (ReportAdmin) is where moderators work: open reports oldest first, the
reported content inline, and actions that call social.moderation.services, each after a page
asking for a reason. Reports, the audit log and banned images are never edited by hand here.
Foreign keys are raw ids and changelists join what they show, so pages stay fast on tables of
millions of rows.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from accounts.models import User
from config.admin_paginator import EstimatedCountPaginator
from social.models import (
    BannedImage,
    Block,
    Follow,
    ModerationAction,
    Mute,
    Notification,
    OutboxMessage,
    Report,
)
from social.moderation import selectors, services
from social.moderation.admin_actions import (
    ModerationActionsMixin,
    Step,
    comment_step,
    post_step,
    thumbnail_html,
    user_step,
)

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class ReadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", "Unread"), ("yes", "Read")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


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


class AgeFilter(admin.SimpleListFilter):
    """How long reports have waited."""

    title = "age"
    parameter_name = "age"
    SPANS = {
        "hour": ("In the last hour", {"created_at__gte": timedelta(hours=1)}),
        "day": ("In the last 24 hours", {"created_at__gte": timedelta(days=1)}),
        "day+": ("Older than 24 hours", {"created_at__lt": timedelta(days=1)}),
        "week+": ("Older than 7 days", {"created_at__lt": timedelta(days=7)}),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.SPANS.items()]

    def queryset(self, request, queryset):
        span = self.SPANS.get(self.value())
        if span is None:
            return queryset
        now = timezone.now()
        return queryset.filter(**{lookup: now - ago for lookup, ago in span[1].items()})


class ModeratorFilter(admin.SimpleListFilter):
    """Who acted; only staff are listed (every moderator is staff), never every account."""

    title = "moderator"
    parameter_name = "moderator"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(is_staff=True).order_by(Lower("username"))
        return [(str(pk), name) for pk, name in staff.values_list("pk", "username")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(moderator_id=int(self.value()))
        return queryset


class WhenFilter(AgeFilter):
    """date_hierarchy would run a DISTINCT over the whole log for its year list."""

    title = "when"
    parameter_name = "when"
    SPANS = {
        "day": ("In the last 24 hours", {"created_at__gte": timedelta(days=1)}),
        "week": ("In the last 7 days", {"created_at__gte": timedelta(days=7)}),
        "month": ("In the last 30 days", {"created_at__gte": timedelta(days=30)}),
        "month+": ("Older than 30 days", {"created_at__lt": timedelta(days=30)}),
    }


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["id", "follower", "following", "status", "created_at", "accepted_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["follower", "following"]
    search_fields = ["=follower__username", "=following__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["follower", "following"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["id", "blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["=blocker__username", "=blocked__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["blocker", "blocked"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["id", "muter", "muted", "created_at"]
    list_select_related = ["muter", "muted"]
    search_fields = ["=muter__username", "=muted__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["muter", "muted"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "actor", "kind", "post", "created_at", "read_at"]
    list_filter = ["kind", ReadFilter, "created_at"]
    list_select_related = ["recipient", "actor", "post"]
    search_fields = ["=recipient__username", "=actor__username"]
    search_help_text = "Exact username of the recipient or the actor."
    raw_id_fields = ["recipient", "actor", "post", "comment"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


# --- The report queue -------------------------------------------------------------------------


def _admin_link(obj, text=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


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


def _reasons_of(reports):
    return ", ".join(sorted({report.get_reason_display() for report in reports}))


@admin.register(Report)
class ReportAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = [
        "report_number",
        "content",
        "author",
        "open_on_target_count",
        "reported_by",
        "waiting",
        "status",
    ]
    list_display_links = ["report_number"]
    list_filter = [ReportStatusFilter, "reason", TargetKindFilter, AgeFilter]
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
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = [
        "remove_content",
        "restore_content",
        "suspend_author",
        "unsuspend_author",
        "dismiss_reports",
    ]
    change_form_template = "admin/social/report/change_form.html"

    # Reports are made by people and closed by actions, never edited or deleted here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        return format_html('#{}<br><span class="help">{}</span>', obj.pk, obj.get_reason_display())

    @admin.display(description="reported content")
    def content(self, obj):
        if obj.post_id:
            state = " (removed)" if obj.post.removed_at else ""
            return format_html(
                '<span class="moderation-cell">{} <span>Post {}{}: {}</span></span>',
                thumbnail_html(obj.cover or obj.cover_original, 40),
                obj.post_id,
                state,
                truncatechars(obj.post.caption, 80),
            )
        if obj.comment_id:
            state = " (removed)" if obj.comment.removed_at else ""
            return format_html(
                "Comment{} on post {}: “{}”",
                state,
                obj.comment.post_id,
                truncatechars(obj.comment.text, 100),
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
            _admin_link(person, f"@{person.username}"),
            " (suspended)" if person.suspended_at else "",
            record if n else "no earlier actions",
        )

    @admin.display(description="open on it")
    def open_on_target_count(self, obj):
        return obj.open_on_target

    @admin.display(description="reported by")
    def reported_by(self, obj):
        if not obj.text:
            return f"@{obj.reporter.username}"
        return format_html("@{}: “{}”", obj.reporter.username, truncatechars(obj.text, 80))

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj):
        return timesince(obj.created_at).split(",")[0]

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
        post_service = services.post_restore if restore else services.post_remove
        comment_service = services.comment_restore if restore else services.comment_remove
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
            notes = [n for n in [_open_note(report)] if n]
            if report.post_id:
                steps.append(
                    post_step(
                        report.post,
                        lambda reason, r=report: post_service(
                            moderator=moderator, post=r.post, reason=reason, report=r
                        ),
                        notes=notes,
                    )
                )
            else:
                steps.append(
                    comment_step(
                        report.comment,
                        lambda reason, r=report: comment_service(
                            moderator=moderator, comment=r.comment, reason=reason, report=r
                        ),
                        notes=notes,
                    )
                )
        return self.reason_step(
            request,
            title="Restore content" if restore else "Remove content",
            steps=steps,
            skipped=skipped,
            initial="" if restore else _reasons_of(reports),
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
                    lambda reason, p=person, r=report: service(
                        moderator=moderator, user=p, reason=reason, report=r
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
            initial="" if unsuspend else _reasons_of(reports),
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
            initial="Doesn't break the community guidelines.",
        )


# --- The audit log and banned images ----------------------------------------------------------


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: readable by those allowed to view it, writable by no one here."""

    list_display = ["created_at", "moderator", "action", "target", "short_reason", "report_link"]
    list_filter = ["action", ModeratorFilter, WhenFilter]
    list_select_related = ["moderator", "post", "comment", "user", "report"]
    search_fields = ["=moderator__username", "target_repr"]
    search_help_text = "Exact username of the moderator, or words of the target."
    raw_id_fields = ["moderator", "post", "comment", "user", "report"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="target")
    def target(self, obj):
        live = obj.post or obj.comment or obj.user
        if live is None:
            return obj.target_repr
        return _admin_link(live, obj.target_repr)

    @admin.display(description="reason")
    def short_reason(self, obj):
        return truncatechars(obj.reason, 80)

    @admin.display(description="report")
    def report_link(self, obj):
        return _admin_link(obj.report, f"#{obj.report_id}") if obj.report_id else "—"


@admin.register(BannedImage)
class BannedImageAdmin(admin.ModelAdmin):
    """Images moderators removed, by perceptual hash. A ban is lifted by restoring its post."""

    list_display = ["id", "preview", "post_link", "view", "hash_hex", "banned_by", "created_at"]
    list_filter = [("view", admin.EmptyFieldListFilter)]
    list_select_related = ["image", "post", "banned_by"]
    raw_id_fields = ["image", "post", "banned_by"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="image")
    def preview(self, obj):
        if obj.image is None:
            return "—"
        return thumbnail_html((obj.image.thumbnail or obj.image.image).name, 48)

    @admin.display(description="post")
    def post_link(self, obj):
        return _admin_link(obj.post, f"Post {obj.post_id}") if obj.post_id else "(deleted)"

    @admin.display(description="pHash")
    def hash_hex(self, obj):
        return f"{obj.phash & ((1 << 64) - 1):016x}"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Work queued by writes and not yet done (social/outbox.py): for operators to look at. A
    row that ran out of attempts can be deleted once its cause is dealt with."""

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
