"""What admin pages share: the big-table settings, read-only pages, links, filters."""

from datetime import timedelta

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_paginator import EstimatedCountPaginator


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
