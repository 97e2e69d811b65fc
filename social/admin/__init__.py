"""Admin registrations for the social graph and moderation, one module per concern.

The report queue (reports.py) is where moderators work: open reports oldest first, the
reported content inline, and actions that call social.moderation.services, each after a page
asking for a reason. Authors' appeals (appeals.py) have a queue of their own, decided the same
way. Reports, the audit log and banned images (audit.py) are never edited by
hand here. Follows, blocks, mutes and notifications (graph.py) are
plain registrations. Foreign keys are raw ids and changelists join what they show, so pages
stay fast on tables of millions of rows.
"""

# Imported for their registrations.
from social.admin import appeals, audit, graph, mastodon, reports  # noqa: F401
