"""The social app's tasks: the report receipt email, pruning old notifications, the beat jobs."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.tests.factories import UserFactory
from config.celery_app import app
from posts.tests.factories import PostFactory
from social import services, tasks
from social.models import Notification, OutboxMessage, Report
from social.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def report_a_post(reporter):
    return services.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=PostFactory())


def test_filing_a_report_emails_the_reporter_a_receipt_after_commit(committed):
    reporter = UserFactory(email="rita@example.com", display_name="Rita")

    with committed():
        report = report_a_post(reporter)

    [email] = mail.outbox
    assert email.to == ["rita@example.com"]
    assert email.subject == f"We received your report #{report.pk}"
    assert "Hi Rita" in email.body
    assert "about a post (spam)" in email.body
    report.refresh_from_db()
    assert report.receipt_sent_at is not None
    assert not OutboxMessage.objects.exists()


def test_reporting_again_while_open_sends_no_second_receipt(committed):
    reporter = UserFactory()
    post = PostFactory()
    with committed():
        services.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=post)
        services.report_create(reporter=reporter, reason=Report.Reason.NUDITY, post=post)

    assert len(mail.outbox) == 1


def test_a_receipt_delivered_twice_is_sent_once():
    report = report_a_post(UserFactory())

    assert tasks.report_receipt_send(report.pk) is True
    assert tasks.report_receipt_send(report.pk) is False
    assert len(mail.outbox) == 1


def test_an_account_without_an_email_address_gets_no_receipt():
    report = report_a_post(UserFactory(email=""))

    assert tasks.report_receipt_send(report.pk) is False
    assert mail.outbox == []


def test_a_mail_server_failure_releases_the_receipt_for_the_retry(monkeypatch):
    report = report_a_post(UserFactory())

    def server_down(*args, **kwargs):
        raise SMTPException("421 try again later")

    monkeypatch.setattr("social.services.reports.send_mail", server_down)
    with pytest.raises(SMTPException):
        services.report_receipt_send(report_id=report.pk)
    monkeypatch.undo()

    report.refresh_from_db()
    assert report.receipt_sent_at is None
    assert services.report_receipt_send(report_id=report.pk) is True
    assert len(mail.outbox) == 1


def test_mail_server_errors_are_retried_by_the_task():
    # SMTPException is an OSError: the outbox task's autoretry catches it.
    assert issubclass(SMTPException, tasks.report_receipt_send.autoretry_for)


def test_pruning_deletes_read_notifications_older_than_the_retention_only():
    old = timezone.now() - timedelta(days=settings.SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS + 1)
    recent = timezone.now() - timedelta(days=settings.SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS - 1)
    old_read = NotificationFactory(read_at=old)
    old_unread = NotificationFactory()
    recent_read = NotificationFactory(read_at=recent)
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=old)
    Notification.objects.filter(pk=recent_read.pk).update(created_at=recent)

    assert tasks.notifications_prune() == 1

    assert set(Notification.objects.values_list("pk", flat=True)) == {
        old_unread.pk,
        recent_read.pk,
    }


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_job_names_a_task_the_worker_knows(name):
    task_name = settings.CELERY_BEAT_SCHEDULE[name]["task"]
    task = import_string(task_name)

    assert task.name == task_name
    assert task_name in app.tasks
    assert task.acks_late
    assert task.time_limit and task.soft_time_limit < task.time_limit


@pytest.mark.parametrize(
    "task_name",
    [
        "social.tasks.notifications_deliver",
        "social.tasks.report_receipt_send",
        "posts.tasks.post_image_variants_make",
        "accounts.tasks.profile_cache_forget_many",
    ],
)
def test_outbox_tasks_ack_late_retry_a_bounded_number_of_times_and_have_time_limits(task_name):
    task = import_string(task_name)

    assert task.name == task_name  # the outbox finds the task again by this name
    assert task.acks_late
    assert 0 < task.max_retries <= 10
    assert task.retry_backoff
    assert task.soft_time_limit < task.time_limit
