"""What the admin pages share: the big-table settings, read-only pages, writes through the
services, links, filters."""

from contextlib import contextmanager
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_paginator import EstimatedCountPaginator
from core.http import form_errors_from


class BigTableAdmin(admin.ModelAdmin):
    """A changelist over millions of rows: no full COUNT(*), an estimated one instead."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator


class ReadOnlyAdmin(BigTableAdmin):
    """Rows written only by services (reports, the audit log, bans): never by hand here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Writes through the services -----------------------------------------------------------------


class ServiceRefused(Exception):
    """A service said no to an admin save or delete; `error` is its ValidationError."""

    def __init__(self, error):
        super().__init__(" ".join(error.messages))
        self.error = error


@contextmanager
def service_refusals():
    """What a service refuses with (bad input, a rule, a row gone) becomes ServiceRefused, which
    the views below show on the page; the admin's own permission checks still answer 403."""
    try:
        yield
    except ValidationError as error:
        raise ServiceRefused(error) from error
    except (PermissionDenied, ObjectDoesNotExist) as error:
        raise ServiceRefused(ValidationError(str(error) or "Not allowed.")) from error


class ThroughServicesMixin:
    """A ModelAdmin whose saves and deletes are the domain's services, never Django's defaults:
    a superuser's edit keeps the rules, counters, caches and notifications a user's would.

    Subclasses write `service_save` (when they allow add or change) and `service_delete` (when
    they allow delete). A refusal rolls the admin's transaction back and shows the form again
    with the service's messages (400), or the object's page with the reason of a refused delete.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if self.actions is not None and "delete_selected" not in self.actions:
            # Named like Django's site-wide action, this one takes its place on this admin.
            self.actions = ["delete_selected", *self.actions]

    def service_save(self, request, obj, form, formsets, change):
        raise PermissionDenied  # only admins that allow add or change write one

    def service_delete(self, request, obj):
        raise PermissionDenied  # only admins that allow delete write one

    def save_model(self, request, obj, form, change):
        # Saved in save_related, once the inline formsets are known: one service call for both.
        pass

    def save_related(self, request, form, formsets, change):
        with service_refusals():
            self.service_save(request, form.instance, form, formsets, change)
        for formset in formsets:
            # What formset.save() would have noted, for the admin's log of the change.
            formset.new_objects, formset.deleted_objects = [], []
            formset.changed_objects = [
                (f.instance, f.changed_data) for f in formset.initial_forms if f.has_changed()
            ]

    def save_formset(self, request, form, formset, change):
        raise PermissionDenied  # inlines are saved by service_save, or are read-only

    def delete_model(self, request, obj):
        with service_refusals():
            self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        # The service decides what goes with the object (its likes, comments, notifications);
        # the right to delete it is this admin's own, not a delete permission on each of those.
        to_delete, model_count, _perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        return to_delete, model_count, set(), protected

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                form_errors_from(self, refusal)
                return cleaned

        return Refused

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin's transaction has rolled back: the form comes again, with the reasons.
            for name in request.FILES:
                for upload in request.FILES.getlist(name):
                    upload.seek(0)
            request.service_refusal = refused.error
            response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and _has_errors(response):
            response.status_code = 400
        return response

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, f"Not deleted: {refused}", messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's bulk delete, except that each row goes through the service in its own
        transaction and refusals are said, not counted as deleted."""
        if not request.POST.get("post"):
            return django_delete_selected(self, request, queryset)  # the confirmation page
        done, refused = 0, []
        for obj in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    self.log_deletions(request, [obj])
                    self.delete_model(request, obj)
            except ServiceRefused as refusal:
                refused.append(f"{obj}: {refusal}")
            else:
                done += 1
        if done:
            noun = model_ngettext(self.opts, done)
            self.message_user(request, f"Deleted {done} {noun}.", messages.SUCCESS)
        for note in refused:
            self.message_user(request, f"Not deleted: {note}", messages.WARNING)
        return None


def _has_errors(response):
    context = getattr(response, "context_data", None) or {}
    return bool(context.get("errors"))


class UndoOnlyAdmin(ThroughServicesMixin, BigTableAdmin):
    """Rows a person makes and takes back (a like, a follow, a block): looked at here, never
    added or edited by hand, deleted only through the service that undoes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def admin_link(obj, text=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


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
