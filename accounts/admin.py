from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html

from accounts.models import User


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
class UserAdmin(DjangoUserAdmin):
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
    # Counters equal the rows they count; only services move them, never a form.
    readonly_fields = [
        "avatar_preview",
        "post_count",
        "follower_count",
        "following_count",
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
            '<img src="{}" alt="" width="96" height="96" style="border-radius:50%">',
            obj.avatar.url,
        )
