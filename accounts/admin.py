"""The accounts admin. Suspension is a moderation action (with a reason and an audit row), not
a field edited by hand; moderators see accounts but can't change them, their passwords or
their groups.

Every other write is a service: an account is added by user_signup, its profile, privacy and
access flags change through user_profile_update, user_privacy_set and user_access_set, and it
is deleted by user_delete_by_staff (everyone else's counters kept). The username and email have
no service that changes them, so they are read-only here. API tokens are issued and revoked by
the API's own services.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import AppRegistration, User, UserSession
from accounts.services import user_access_set, user_profile_update, user_sessions_end, user_signup
from accounts.two_factor.services import two_factor_remove
from core.admin_base import ReadOnlyAdmin, ThroughServicesMixin
from core.admin_paginator import EstimatedCountPaginator
from core.rest.authentication import api_token_issue, api_token_revoke
from social.graph.services import user_privacy_set
from social.lifecycle import user_delete_by_staff
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


PROFILE_FIELDS = ("display_name", "bio", "website")
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")
NO_SERVICE_CHANGES = ["username", "email"]


class PasswordSetForm(AdminPasswordChangeForm):
    """A password set here ends the account's sessions and API tokens, as a change or a reset
    on the site does (an admin setting their own is signed out too, and logs in again)."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            user_sessions_end(user=user)
        return user


@admin.register(User)
class UserAdmin(ThroughServicesMixin, ModerationActionsMixin, DjangoUserAdmin):
    change_password_form = PasswordSetForm
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

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else [*fields, *NO_SERVICE_CHANGES]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "avatar":
            # A new photo replaces the old one (user_profile_update); there is no "clear".
            kwargs["widget"] = forms.FileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def service_save(self, request, obj, form, formsets, change):
        if not change:
            return self._signup(obj, form.cleaned_data)
        data, changed = form.cleaned_data, set(form.changed_data)
        stored = User.objects.get(pk=obj.pk)  # `obj` already holds the form's values
        profile = {name: data[name] for name in PROFILE_FIELDS if name in changed}
        if "avatar" in changed and data["avatar"]:
            profile["avatar"] = data["avatar"]
        # In the settings page's order: a refused profile leaves the privacy switch unsaved.
        if profile:
            user_profile_update(user=stored, **profile)
        if "is_private" in changed:
            user_privacy_set(user=stored, is_private=data["is_private"])
        access = {name: data[name] for name in ACCESS_FIELDS if name in changed}
        if access:
            user_access_set(user=stored, **access)
        # Groups and permissions: who may use the admin, which no counter or cache depends on.
        form.save_m2m()
        return None

    def _signup(self, obj, data):
        user = user_signup(
            username=data["username"], email=data["email"], password=data.get("password1") or ""
        )
        # The admin's redirect and log entry name the account the service made.
        obj.pk, obj.password = user.pk, user.password
        obj._state.adding, obj._state.db = False, user._state.db

    def service_delete(self, request, obj):
        user_delete_by_staff(user=obj)

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


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(ThroughServicesMixin, TokenAdmin):
    """An account's API token: issued and revoked as logging in and out of the API do."""

    def has_change_permission(self, request, obj=None):
        return False

    def service_save(self, request, obj, form, formsets, change):
        token = api_token_issue(user=obj.user)
        obj.key, obj.created = token.key, token.created
        obj._state.adding, obj._state.db = False, token._state.db

    def service_delete(self, request, obj):
        api_token_revoke(user=obj.user)


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    """Where accounts are signed in, to look at: sessions end through their owner's settings,
    a password change or a suspension, which also end the stored session, never by hand."""

    list_display = ["user", "device", "ip_address", "last_seen_at", "created_at"]
    list_select_related = ["user"]
    search_fields = ["^user__username"]
    ordering = ["-last_seen_at"]
    readonly_fields = ["user", "device", "user_agent", "ip_address", "created_at", "last_seen_at"]
    fields = readonly_fields


# django-otp registers editable admins for its devices (keys, recovery codes in plain view).
# Here an authenticator is only looked at, and removed through the service when someone lost
# their phone; recovery codes have no admin page at all.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(ThroughServicesMixin, admin.ModelAdmin):
    """Who has two-factor sign-in; deleting one turns it off for that account (two_factor_remove),
    recovery codes included."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["^user__username"]
    ordering = ["-created_at"]
    fields = readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_delete(self, request, obj):
        two_factor_remove(user=obj.user)


@admin.register(AppRegistration)
class AppRegistrationAdmin(ReadOnlyAdmin):
    """What OAuth apps said when they registered (POST /api/v1/apps): their website and the
    scopes they may ask for. The app itself is under Django OAuth Toolkit's Applications."""

    list_display = ["application", "scopes", "website"]
    list_select_related = ["application"]
    search_fields = ["^application__name"]
    ordering = ["-application_id"]
    fields = readonly_fields = list_display


# django-oauth-toolkit registers editable admins for its tables. Here apps and the access
# people gave them are looked at only: people revoke an app in settings, apps end their tokens
# at /oauth/revoke, and a token is stored as a checksum (nothing to copy or edit).
for _model in (Application, AccessToken, Grant, IDToken, RefreshToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Application)
class OAuthApplicationAdmin(ReadOnlyAdmin):
    list_display = ["name", "client_id", "client_type", "authorization_grant_type", "created"]
    search_fields = ["^name", "=client_id"]
    ordering = ["-created"]
    fields = readonly_fields = [
        "name",
        "client_id",
        "redirect_uris",
        "client_type",
        "authorization_grant_type",
        "created",
        "updated",
    ]


@admin.register(AccessToken)
class OAuthAccessTokenAdmin(ReadOnlyAdmin):
    """Which app holds access to which account, with what scopes, until when."""

    list_display = ["user", "application", "scope", "expires", "created"]
    list_select_related = ["user", "application"]
    search_fields = ["^user__username"]
    ordering = ["-created"]
    fields = readonly_fields = ["user", "application", "scope", "expires", "created", "updated"]
