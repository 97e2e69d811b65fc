"""The moderators' e-mail digest of new reports (a beat job; console backend by default)."""

from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.urls import reverse
from django.utils import timezone

from core.transactions import write_transaction
from social.moderation.models import Report
from social.moderation.moderators import moderators

DIGEST_BATCH = 500
DIGEST_LISTED = 20


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _digest_body(*, moderator, reports, open_count, site_url):
    by_reason = Counter(report.get_reason_display() for report in reports)
    lines = [
        f"Hi {moderator.name},",
        "",
        f"{_plural(len(reports), 'new report')} since the last digest; "
        f"{open_count} open in the queue.",
        "",
        *(f"  {count:>4}  {reason}" for reason, count in by_reason.most_common()),
        "",
        "Newest:",
    ]
    for report in reports[:DIGEST_LISTED]:
        url = site_url + reverse("admin:social_report_change", args=[report.pk])
        lines.append(f"  #{report.pk} {report.get_reason_display()}, a {report.target_kind}: {url}")
    queue_url = site_url + reverse("admin:social_report_changelist")
    lines += ["", f"Work the queue: {queue_url}", ""]
    return "\n".join(lines)


def report_digest_send():
    """E-mail each moderator the reports that arrived since the last digest and are still
    open; returns how many it listed (0: nothing sent).

    Reports are claimed (digested_at) before sending and released if sending fails, so two runs
    never list one report twice, and a failed run's reports go out with the next.
    """
    claimed_at = timezone.now()
    with write_transaction():
        ids = list(
            Report.objects.filter(digested_at__isnull=True)
            .order_by("created_at")
            .values_list("pk", flat=True)[:DIGEST_BATCH]
        )
        Report.objects.filter(pk__in=ids, digested_at__isnull=True).update(digested_at=claimed_at)
    reports = list(
        Report.objects.filter(digested_at=claimed_at, status=Report.Status.OPEN).order_by(
            "-created_at"
        )
    )
    recipients = [moderator for moderator in moderators() if moderator.email]
    if not reports or not recipients:
        return 0
    open_count = Report.objects.filter(status=Report.Status.OPEN).count()
    site_url = getattr(settings, "SHUTTER_SITE_URL", "").rstrip("/")
    subject = f"Shutter moderation: {_plural(len(reports), 'new report')}"
    messages = [
        EmailMessage(
            subject=subject,
            body=_digest_body(
                moderator=moderator, reports=reports, open_count=open_count, site_url=site_url
            ),
            to=[moderator.email],
        )
        for moderator in recipients
    ]
    try:
        mailers.default.send_messages(messages)
    except BaseException:
        with write_transaction():
            Report.objects.filter(digested_at=claimed_at).update(digested_at=None)
        raise
    return len(reports)
