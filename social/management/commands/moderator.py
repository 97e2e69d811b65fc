"""manage.py moderator add|remove|list: who works the moderation queue in /admin/."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Lower

from accounts.models import User
from social.moderation.moderators import (
    MODERATORS_GROUP,
    moderator_add,
    moderator_remove,
    moderators,
)


class Command(BaseCommand):
    help = (
        f"Add an account to the {MODERATORS_GROUP} group (and make it staff, so it can log into "
        "/admin/), remove one, or list them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True, metavar="add|remove|list")
        for verb, text in (("add", "make a moderator"), ("remove", "stop being a moderator")):
            sub.add_parser(verb, help=text).add_argument("username")
        sub.add_parser("list", help="list the moderators")

    def handle(self, *args, verb, username=None, **options):
        if verb == "list":
            for user in moderators():
                self.stdout.write(f"{user.username}\t{user.email or '-'}")
            return
        user = self._user(username)
        if verb == "add":
            if user.is_suspended or not user.is_active:
                raise CommandError(
                    f"{user.username} is suspended or deactivated; restore the account first."
                )
            moderator_add(user=user)
            self.stdout.write(
                self.style.SUCCESS(f"{user.username} is a moderator: they log in at /admin/.")
            )
        else:
            moderator_remove(user=user)
            staff = "still staff" if user.is_staff else "no longer staff"
            self.stdout.write(
                self.style.SUCCESS(f"{user.username} is no longer a moderator ({staff}).")
            )

    def _user(self, username):
        user = User.objects.alias(name=Lower("username")).filter(name=username.lower()).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        return user
