from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

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
    # Moved by "sign out everywhere", a password change or reset and a suspension: it is part of
    # every session's auth hash, so each session started before it moved stops working, also
    # one that was never recorded (UserSession) or whose stored copy a cache outage kept.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

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
            # The big authors (above the home timelines' fan-out threshold), read on every
            # timeline page: a handful of rows through this index (posts/timelines.py).
            models.Index(fields=["follower_count"], name="user_follower_count_idx"),
        ]

    def __str__(self):
        return self.username

    @property
    def name(self):
        return self.display_name or self.username

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password (its public get_session_auth_hash and the SECRET_KEY
        # fallbacks both come here), plus the session generation once it has moved. Generation
        # 0 hashes exactly as Django does, so sessions from before the field stayed valid.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password
        if self.session_generation:
            value = f"{self.password}\n{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class UserSession(models.Model):
    """A signed-in browser session, recorded at log-in, so settings can list where an account is
    signed in and end those sessions: the session store itself can't be searched by account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="usersession_user_seen_idx")]

    def __str__(self):
        return f"{self.user_id} {self.session_key[:8]}…"

    @property
    def device(self):
        """How a person recognises their browser ("Firefox on Linux"); else the raw text."""
        return device_describe(self.user_agent)


# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def device_describe(user_agent):
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    return user_agent.split(" ")[0][:60] or "Unknown device"


# Found by Django through this module; the model lives with the rest of OAuth.
from accounts.oauth.models import AppRegistration  # noqa: E402, F401
