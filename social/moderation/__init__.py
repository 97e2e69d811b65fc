"""Moderation, worked through the Django admin: actions on reported content (services), the
queue's reads (selectors), banned images, the moderators' digest and who moderates."""
