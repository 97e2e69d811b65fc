"""Changelists of huge tables are numbered from PostgreSQL's row estimate, not COUNT(*)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import admin_paginator
from core.admin_paginator import EXACT_BELOW, EstimatedCountPaginator, table_row_estimate
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
HUGE = 12_345_678


@pytest.fixture
def huge_table(monkeypatch):
    """PostgreSQL's statistics saying the table is huge (SQLite has none)."""
    asked = []

    def estimate(qs):
        asked.append(qs.model)
        return HUGE

    monkeypatch.setattr(admin_paginator, "table_row_estimate", estimate)
    return asked


def test_an_unfiltered_list_of_a_huge_table_is_counted_from_the_estimate(huge_table):
    PostFactory()
    paginator = EstimatedCountPaginator(Post.objects.order_by("pk"), 100)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == HUGE

    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_filtered_list_is_counted_exactly(huge_table):
    PostFactory()

    paginator = EstimatedCountPaginator(
        Post.objects.filter(removed_at__isnull=True).order_by("pk"), 100
    )

    assert paginator.count == 1
    assert huge_table == []


def test_a_small_table_is_counted_exactly(monkeypatch):
    monkeypatch.setattr(admin_paginator, "table_row_estimate", lambda qs: EXACT_BELOW - 1)
    PostFactory()

    assert EstimatedCountPaginator(Post.objects.order_by("pk"), 100).count == 1


def test_no_statistics_means_no_estimate():
    # SQLite keeps none; PostgreSQL has none for a table never analyzed.
    PostFactory()

    assert table_row_estimate(Post.objects.all()) is None


def test_the_posts_changelist_uses_the_estimate_unfiltered_and_counts_filtered(
    admin_client, huge_table
):
    PostFactory()
    url = reverse("admin:posts_post_changelist")

    assert admin_client.get(url).context["cl"].result_count == HUGE
    assert admin_client.get(url, {"removed": "no"}).context["cl"].result_count == 1


@pytest.mark.services
def test_postgresql_estimates_from_its_statistics():
    """Run by `make test-services`, against PostgreSQL."""
    PostFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Post._meta.db_table}")

    assert table_row_estimate(Post.objects.all()) == 3
