from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class UserQuerySet(models.QuerySet):
    def active(self):
        """Accounts that can be seen at all: not suspended, not deactivated."""
        return self.filter(is_active=True, suspended_at__isnull=True)

    def visible_to(self, viewer):
        """Accounts whose profile `viewer` may open: active and no block in either direction."""
        from social.models import Block

        qs = self.active()
        if viewer is None or not viewer.is_authenticated:
            return qs
        return qs.filter(Block.objects.unblocked_q(viewer, "pk"))


class ShutterUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


def avatar_path(instance, filename):
    return f"avatars/{instance.pk or 'new'}/{filename}"


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
        ]

    def __str__(self):
        return self.username

    @property
    def name(self):
        return self.display_name or self.username

    @property
    def is_suspended(self):
        return self.suspended_at is not None
