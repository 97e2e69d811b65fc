"""The accounts admin. Suspension is a moderation action (with a reason and an audit row), not
a field edited by hand; moderators see accounts but can't change them, their passwords or
their groups."""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html

from accounts.models import User
from config.admin_paginator import EstimatedCountPaginator
from social.moderation import selectors as moderation_selectors
from social.moderation import services as moderation
from social.moderation.admin_actions import ModerationActionsMixin, history_html, user_step

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class SuspendedFilter(admin.SimpleListFilter):
    title = "suspended"
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return [("yes", "Suspended"), ("no", "Not suspended")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(suspended_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(suspended_at__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(ModerationActionsMixin, DjangoUserAdmin):
    list_display = [
        "username",
        "display_name",
        "email",
        "is_private",
        "post_count",
        "follower_count",
        "following_count",
        "is_staff",
        "suspended_at",
        "date_joined",
    ]
    list_filter = ["is_private", SuspendedFilter, "is_staff", "is_superuser", "is_active"]
    search_fields = ["^username", "=email", "^display_name"]
    ordering = ["-date_joined"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["suspend_accounts", "unsuspend_accounts"]
    # Counters equal the rows they count; only services move them, never a form. Suspension
    # goes through the actions, which write the audit log.
    readonly_fields = [
        "avatar_preview",
        "post_count",
        "follower_count",
        "following_count",
        "suspended_at",
        "moderation_history",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Profile",
            {
                "fields": [
                    "display_name",
                    "email",
                    "bio",
                    "website",
                    "avatar_preview",
                    "avatar",
                    "is_private",
                ]
            },
        ),
        ("Counters", {"fields": ["post_count", "follower_count", "following_count"]}),
        (
            "Status and permissions",
            {
                "fields": [
                    "suspended_at",
                    "moderation_history",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "usable_password", "password1", "password2"],
            },
        ),
    ]

    @admin.display(description="avatar")
    def avatar_preview(self, obj):
        if not obj.avatar:
            return "—"
        return format_html(
            '<img class="admin-avatar" src="{}" alt="" width="96" height="96">',
            obj.avatar.url,
        )

    @admin.display(description="moderation history")
    def moderation_history(self, obj):
        if not obj.pk:
            return "—"
        return history_html(moderation_selectors.author_history(user=obj, limit=20))

    @admin.action(description="Suspend the accounts", permissions=["moderate"], location=BOTH)
    def suspend_accounts(self, request, queryset):
        return self._accounts_action(
            request, queryset, service=moderation.user_suspend, suspend=True
        )

    @admin.action(description="Unsuspend the accounts", permissions=["moderate"], location=BOTH)
    def unsuspend_accounts(self, request, queryset):
        return self._accounts_action(
            request, queryset, service=moderation.user_unsuspend, suspend=False
        )

    def _accounts_action(self, request, queryset, *, service, suspend):
        steps, skipped = [], []
        for user in queryset.order_by("pk"):
            if (user.suspended_at is None) != suspend:
                skipped.append(f"@{user.username} is {'already' if suspend else 'not'} suspended.")
                continue
            steps.append(
                user_step(
                    user,
                    lambda reason, u=user: service(moderator=request.user, user=u, reason=reason),
                )
            )
        title = "Suspend accounts" if suspend else "Unsuspend accounts"
        return self.reason_step(request, title=title, steps=steps, skipped=skipped)
