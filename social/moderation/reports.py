"""Reports of posts, comments and accounts, and the receipt email to the reporter."""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.outbox import outbox_enqueue
from core.transactions import write_transaction
from social.moderation.models import Report

REPORT_TEXT_MAX = 1000
REPORT_RECEIPT_TASK = "social.tasks.report_receipt_send"


def _report_check(*, reporter, reason, text, targets):
    given = {kind: target for kind, target in targets.items() if target is not None}
    if len(given) != 1:
        raise ValidationError("Report exactly one thing: a post, a comment or an account.")
    [(kind, target)] = given.items()
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [f"Choose a reason: {', '.join(Report.Reason.values)}."]
    if len(text) > REPORT_TEXT_MAX:
        errors["text"] = [
            f"Keep the details to {REPORT_TEXT_MAX} characters (this has {len(text)})."
        ]
    owner_id = target.pk if kind == "user" else target.author_id
    if owner_id == reporter.pk:
        errors[kind] = [
            "You can't report yourself." if kind == "user" else f"You can't report your own {kind}."
        ]
    if errors:
        raise ValidationError(errors)
    return kind, target


def report_create(*, reporter, reason, text="", post=None, comment=None, user=None):
    """Report a post, comment or account: `(report, created)`. While the reporter's report on
    the same target is open, reporting again returns that one, with created False."""
    text = (text or "").strip()
    kind, target = _report_check(
        reporter=reporter,
        reason=reason,
        text=text,
        targets={"post": post, "comment": comment, "user": user},
    )
    open_report = Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, **{kind: target}
    )
    with write_transaction():
        existing = open_report.first()
        if existing is not None:
            return existing, False
        try:
            # A savepoint, so that losing the race to a twin request leaves the transaction usable.
            with transaction.atomic():
                report = Report.objects.create(
                    reporter=reporter, reason=reason, text=text, **{kind: target}
                )
        except IntegrityError:
            return open_report.get(), False
        outbox_enqueue(REPORT_RECEIPT_TASK, report.pk)
        return report, True


def _report_receipt_message(report):
    what = {"post": "a post", "comment": "a comment", "user": "an account"}[report.target_kind]
    return (
        f"Hi {report.reporter.name},\n\n"
        f"We received your report #{report.pk} about {what} "
        f"({report.get_reason_display().lower()}). Our moderators review every report; "
        "you don't need to do anything else.\n\n"
        "Thank you for helping keep Shutter safe.\n"
    )


def report_receipt_send(*, report_id):
    """Email the reporter that their report arrived, once; True when an email went out.

    The report is claimed (receipt_sent_at) before sending and released if sending fails, so
    a task delivered twice sends one email, and a failed one is sent on its retry.
    """
    with write_transaction():
        claimed = Report.objects.filter(pk=report_id, receipt_sent_at__isnull=True).update(
            receipt_sent_at=timezone.now()
        )
    if not claimed:
        return False
    report = Report.objects.select_related("reporter").get(pk=report_id)
    if not report.reporter.email:
        return False
    try:
        send_mail(
            subject=f"We received your report #{report.pk}",
            message=_report_receipt_message(report),
            from_email=None,
            recipient_list=[report.reporter.email],
        )
    except BaseException:
        with write_transaction():
            Report.objects.filter(pk=report_id).update(receipt_sent_at=None)
        raise
    return True
