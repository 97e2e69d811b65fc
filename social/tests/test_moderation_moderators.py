"""Who moderates: the Moderators group the migration makes (only the permissions the work
needs) and `manage.py moderator add|remove|list`."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from social.moderation.moderators import GROUP_PERMISSIONS, MODERATORS_GROUP, moderators

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("moderator", *args, stdout=out)
    return out.getvalue()


def test_the_migration_gives_the_group_exactly_the_permissions_the_work_needs():
    group = Group.objects.get(name=MODERATORS_GROUP)

    granted = set(
        group.permissions.values_list("content_type__app_label", "content_type__model", "codename")
    )

    assert granted == set(GROUP_PERMISSIONS)
    codenames = {codename for _, _, codename in granted}
    assert not {c for c in codenames if c.startswith(("add_", "change_", "delete_"))}


def test_moderator_add_makes_staff_in_the_group_who_may_moderate():
    bob = UserFactory(username="bob")

    out = run("add", "BOB")

    bob.refresh_from_db()
    assert bob.is_staff and not bob.is_superuser
    assert list(moderators()) == [bob]
    assert bob.has_perm("social.moderate")
    assert not bob.has_perm("accounts.change_user")
    assert "bob is a moderator" in out


def test_moderator_add_twice_changes_nothing():
    bob = UserFactory(username="bob")
    run("add", "bob")
    run("add", "bob")

    assert bob.groups.count() == 1


def test_moderator_remove_takes_away_group_and_staff():
    bob = UserFactory(username="bob")
    run("add", "bob")

    out = run("remove", "bob")

    bob.refresh_from_db()
    assert not bob.is_staff
    assert list(moderators()) == []
    assert "no longer staff" in out


def test_moderator_remove_keeps_a_superuser_staff():
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    run("add", "boss")

    run("remove", "boss")

    boss.refresh_from_db()
    assert boss.is_staff


def test_moderator_list_prints_the_moderators():
    run("add", UserFactory(username="bob", email="bob@example.com").username)

    assert run("list") == "bob\tbob@example.com\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "nobody"), "No account is called 'nobody'"),
        (("add", "gone"), "suspended or deactivated"),
    ],
)
def test_moderator_refuses_unknown_or_suspended_accounts(args, message):
    UserFactory(username="gone", suspended=True)

    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_flushed_database_gets_the_group_back_after_migrate():
    from social.moderation.moderators import moderators_group_ensure

    Group.objects.filter(name=MODERATORS_GROUP).delete()

    moderators_group_ensure(using="default")  # what post_migrate (also after a flush) calls

    test_the_migration_gives_the_group_exactly_the_permissions_the_work_needs()


def test_a_group_an_operator_edited_is_left_alone():
    from social.moderation.moderators import moderators_group_ensure

    group = Group.objects.get(name=MODERATORS_GROUP)
    group.permissions.clear()

    moderators_group_ensure(using="default")

    assert not group.permissions.exists()
