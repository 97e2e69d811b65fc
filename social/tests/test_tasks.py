"""The social app's tasks: the report receipt email, pruning old notifications, the beat jobs."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from posts.tests.factories import PostFactory
from social import tasks
from social.moderation import reports
from social.moderation.models import Report
from social.notifications.models import Notification
from social.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def report_a_post(reporter):
    report, _ = reports.report_create(
        reporter=reporter, reason=Report.Reason.SPAM, post=PostFactory()
    )
    return report


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
        reports.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=post)
        reports.report_create(reporter=reporter, reason=Report.Reason.NUDITY, post=post)

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

    monkeypatch.setattr("social.moderation.reports.send_mail", server_down)
    with pytest.raises(SMTPException):
        reports.report_receipt_send(report_id=report.pk)
    monkeypatch.undo()

    report.refresh_from_db()
    assert report.receipt_sent_at is None
    assert reports.report_receipt_send(report_id=report.pk) is True
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
