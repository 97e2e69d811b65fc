"""What the moderation tests share: a moderator as the Moderators group makes one, and a post
with real (hashable) photos published through post_create."""

from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from posts.services import post_create
from posts.tests.factories import photo_upload
from social.moderation.moderators import MODERATORS_GROUP


def moderator_make(**fields):
    """A staff account in the Moderators group (the group comes from a data migration)."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def photo_post(author, *seeds, caption="Evening light #sunset", size=(480, 360)):
    """A post of structured photos (one per seed), through post_create: hashes and counters."""
    images = [photo_upload(f"photo{seed}.jpg", seed=seed, size=size) for seed in seeds or (1,)]
    return post_create(author=author, images=images, caption=caption)
