from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from core.media import random_media_name
from social.graph.models import Block, Follow, Mute


class UserQuerySet(models.QuerySet):
    def active(self):
        """Accounts that can be seen at all: not suspended, not deactivated."""
        return self.filter(is_active=True, suspended_at__isnull=True)

    def visible_to(self, viewer):
        """Accounts whose profile `viewer` may open: active and no block in either direction."""
        qs = self.active()
        if not _signed_in(viewer):
            return qs
        return qs.filter(Block.objects.unblocked_q(viewer, "pk"))

    def with_content_visibility(self, viewer):
        """Annotate `can_see_content`: the viewer may see the account's posts and follow lists.

        True for the owner, a public account, or an accepted follower. Blocks are not checked
        here: combine with `visible_to(viewer)`, which drops blocked accounts altogether.
        """
        can_see = models.Q(is_private=False)
        if _signed_in(viewer):
            can_see |= models.Q(pk=viewer.pk) | models.Q(
                pk__in=Follow.objects.following_ids(viewer)
            )
        return self.annotate(
            can_see_content=models.Case(
                models.When(can_see, then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )

    def with_relationship_flags(self, viewer):
        """Annotate how `viewer` relates to each account, as subqueries (no query per row).

        is_following (accepted), follow_requested (pending), is_followed_by (accepted, the
        other way), is_blocking and is_muting (made by the viewer).
        """
        names = ("is_following", "follow_requested", "is_followed_by", "is_blocking", "is_muting")
        if not _signed_in(viewer):
            return self.annotate(**{name: models.Value(False) for name in names})
        them = models.OuterRef("pk")
        return self.annotate(
            is_following=models.Exists(
                Follow.objects.accepted().filter(follower=viewer, following=them)
            ),
            follow_requested=models.Exists(
                Follow.objects.pending().filter(follower=viewer, following=them)
            ),
            is_followed_by=models.Exists(
                Follow.objects.accepted().filter(follower=them, following=viewer)
            ),
            is_blocking=models.Exists(Block.objects.filter(blocker=viewer, blocked=them)),
            is_muting=models.Exists(Mute.objects.filter(muter=viewer, muted=them)),
        )


def _signed_in(viewer):
    return viewer is not None and viewer.is_authenticated


class ShutterUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


AVATAR_FOLDER = "avatars"


def avatar_path(instance, filename):
    # Random, never the account's id or name: see core/media.py.
    return random_media_name(AVATAR_FOLDER, filename)


class User(AbstractUser):
    display_name = models.CharField(max_length=64, blank=True)
    bio = models.CharField(max_length=150, blank=True)
    website = models.URLField(max_length=200, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    is_private = models.BooleanField(default=False)
    suspended_at = models.DateTimeField(null=True, blank=True)

    # Denormalized counters, moved with F() in the transaction that writes the counted rows.
    post_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)

    objects = ShutterUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"
            ),
        ]
        indexes = [
            models.Index(Lower("username"), name="user_username_lower_idx"),
            models.Index(Lower("display_name"), name="user_display_name_lower_idx"),
            # The media view finds an avatar's account by its stored name (core/media.py).
            models.Index(fields=["avatar"], name="user_avatar_idx"),
        ]

    def __str__(self):
        return self.username

    @property
    def name(self):
        return self.display_name or self.username

    @property
    def is_suspended(self):
        return self.suspended_at is not None
