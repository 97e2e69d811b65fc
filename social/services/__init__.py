"""Every write of the social graph, by concern; import them from here.

graph.py          follows and follow requests, blocks, mutes (row locks in pk order)
notifications.py  queueing notifications with the write, delivering them after commit, undo
reports.py        reports and the receipt email
"""

from social.services.graph import (
    block_create,
    block_remove,
    follow_create,
    follow_remove,
    follow_request_accept,
    follow_request_decline,
    follow_requests_accept_all,
    mute_create,
    mute_remove,
)
from social.services.notifications import (
    NOTIFY_TASK,
    notification_create,
    notification_enqueue,
    notification_mark_all_read,
    notification_remove,
    notifications_deliver,
    notifications_prune,
    users_blocked_either_way,
)
from social.services.reports import (
    REPORT_RECEIPT_TASK,
    REPORT_TEXT_MAX,
    report_create,
    report_receipt_send,
)

__all__ = [
    "NOTIFY_TASK",
    "REPORT_RECEIPT_TASK",
    "REPORT_TEXT_MAX",
    "block_create",
    "block_remove",
    "follow_create",
    "follow_remove",
    "follow_request_accept",
    "follow_request_decline",
    "follow_requests_accept_all",
    "mute_create",
    "mute_remove",
    "notification_create",
    "notification_enqueue",
    "notification_mark_all_read",
    "notification_remove",
    "notifications_deliver",
    "notifications_prune",
    "report_create",
    "report_receipt_send",
    "users_blocked_either_way",
]
