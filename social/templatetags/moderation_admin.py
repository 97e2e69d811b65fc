"""What the admin's index shows moderators first: the queue, and their own latest actions."""

from django import template

from social.moderation import selectors

register = template.Library()


@register.simple_tag
def moderation_queue_summary():
    """{"open": n, "oldest": datetime or None} of the open reports."""
    return selectors.queue_summary()


@register.simple_tag
def moderation_appeals_open():
    """How many appeals wait for a moderator."""
    return selectors.appeals_open_count()


@register.simple_tag
def moderation_recent_actions(user, limit=10):
    """`user`'s latest moderation actions, newest first."""
    return selectors.actions_by(moderator=user, limit=limit)
