"""Who moderates: members of the Moderators group (created by a data migration), staff so they
can open the admin, holding only the permissions their work needs."""

from django.contrib.auth.models import Group

from accounts.models import User
from core.transactions import write_transaction

MODERATORS_GROUP = "Moderators"
MODERATE_PERMISSION = "social.moderate"
# (app label, model, codename): what the Moderators group may do. Viewing is enough for the
# queue, the content and the audit log; every change goes through the moderation actions,
# which need "moderate". No change permission on accounts: no passwords, no groups.
GROUP_PERMISSIONS = [
    ("social", "moderationaction", "moderate"),
    ("social", "moderationaction", "view_moderationaction"),
    ("social", "report", "view_report"),
    ("social", "appeal", "view_appeal"),
    ("social", "bannedimage", "view_bannedimage"),
    ("posts", "post", "view_post"),
    ("posts", "postimage", "view_postimage"),
    ("posts", "comment", "view_comment"),
    ("accounts", "user", "view_user"),
]


def moderator_add(*, user):
    """Make `user` a moderator: staff, in the Moderators group. Idempotent."""
    with write_transaction():
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    user.is_staff = True


def moderator_remove(*, user):
    """Take `user` out of the Moderators group; no longer staff unless a superuser or still in
    another group. Idempotent."""
    with write_transaction():
        user.groups.remove(Group.objects.get(name=MODERATORS_GROUP))
        keeps_staff = user.is_superuser or user.groups.exists()
        User.objects.filter(pk=user.pk).update(is_staff=keeps_staff)
    user.is_staff = keeps_staff


def moderators():
    """Active moderators: members of the Moderators group, not suspended or deactivated."""
    return User.objects.active().filter(groups__name=MODERATORS_GROUP).order_by("pk")


def moderators_group_ensure(*, using="default", **kwargs):
    """post_migrate receiver: the Moderators group exists, with GROUP_PERMISSIONS if it had to
    be made. The data migration makes it; this brings it back after a database flush (tests
    that flush, `manage.py flush`), and leaves a group an operator has edited alone."""
    from django.contrib.auth.models import Permission

    group, created = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
    if not created:
        return
    wanted = Permission.objects.none()
    for app_label, model, codename in GROUP_PERMISSIONS:
        wanted |= Permission.objects.using(using).filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
    group.permissions.set(wanted)
