"""Every write of an account: sign-up, profile, privacy, deletion, counter repair."""

import re
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.cache import profile_cache_forget
from accounts.models import User
from config.transactions import counter_delta, write_transaction
from config.upload_budget import UploadBudgetExceeded, upload_budget_charge
from posts.models import Comment, Like, Post, PostImage
from social.models import Follow
from social.outbox import outbox_enqueue
from social.services import follow_requests_accept_all

USERNAME_MIN, USERNAME_MAX = 3, 30
USERNAME_CHARS = re.compile(r"[A-Za-z0-9._]+")
DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
BIO_MAX = User._meta.get_field("bio").max_length
WEBSITE_MAX = User._meta.get_field("website").max_length
EMAIL_MAX = User._meta.get_field("email").max_length
PROFILE_FORGET_TASK = "accounts.tasks.profile_cache_forget_many"


# --- Sign-up ---------------------------------------------------------------------------------


def _username_errors(username):
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return [f"Use {USERNAME_MIN} to {USERNAME_MAX} characters (this has {len(username)})."]
    if not USERNAME_CHARS.fullmatch(username):
        return ["Use only letters, numbers, underscores and periods."]
    if username.startswith(".") or username.endswith(".") or ".." in username:
        return ["A username can't start or end with a period, or have two in a row."]
    if User.objects.filter(username__iexact=username).exists():
        return [f"The username {username} is taken."]
    return []


def _email_errors(email):
    if not email:
        return ["Enter your email address."]
    if len(email) > EMAIL_MAX:
        return [f"Use an email address of at most {EMAIL_MAX} characters."]
    try:
        validate_email(email)
    except ValidationError:
        return ["Enter a valid email address."]
    if User.objects.filter(email__iexact=email).exists():
        return ["An account with this email address already exists."]
    return []


def _display_name_errors(display_name):
    if len(display_name) > DISPLAY_NAME_MAX:
        return [f"Keep your name to {DISPLAY_NAME_MAX} characters (this has {len(display_name)})."]
    return []


def _signup_check(*, username, email, password, display_name):
    """Every sign-up problem at once, so a form can show them all."""
    errors = {
        "username": _username_errors(username),
        "email": _email_errors(email),
        "display_name": _display_name_errors(display_name),
    }
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = error.messages
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def user_signup(*, username, email, password, display_name=""):
    """Create an account; bad or taken usernames and emails come back as field errors."""
    username = (username or "").strip()
    email = User.objects.normalize_email((email or "").strip())
    display_name = (display_name or "").strip()
    fields = {"username": username, "email": email, "display_name": display_name}
    # Checks and hashing run outside the transaction, which then holds the write lock briefly.
    _signup_check(password=password, **fields)
    user = User(**fields)
    user.set_password(password)
    try:
        with write_transaction():
            user.save()
    except IntegrityError:
        # A twin sign-up took the name or address in between: say which, as a field error.
        _signup_check(password=password, **fields)
        raise
    return user


# --- Profile and privacy ---------------------------------------------------------------------


def _website_clean(website):
    """Accept "example.com" as people type it; store a full http(s) URL."""
    website = website.strip()
    if website and "://" not in website:
        website = f"https://{website}"
    if len(website) > WEBSITE_MAX:
        raise ValidationError(f"Use a web address of at most {WEBSITE_MAX} characters.")
    if website:
        URLValidator(
            schemes=["http", "https"],
            message="Enter a valid web address, like https://example.com.",
        )(website)
    return website


def _avatar_render(*, user, upload):
    """Decode the upload (same checks and hourly budget as post images) and make the square,
    resized avatar. A JPEG decodes at the smallest scale that still fills the square."""
    from posts.services import media

    side = settings.SHUTTER["THUMBNAIL_SIZE"]
    label = getattr(upload, "name", None) or "avatar"
    opened = media.upload_open(upload, label=label, fit=(side, side))
    try:
        upload_budget_charge(user_id=user.pk, pixels=opened.pixels, field="avatar")
    except ValidationError:
        opened.img.close()
        raise
    return media.avatar_variant(media.upload_decode(opened))


def _profile_changes(*, display_name, bio, website):
    changes, errors = {}, {}
    if display_name is not None:
        changes["display_name"] = display_name.strip()
        errors["display_name"] = _display_name_errors(changes["display_name"])
    if bio is not None:
        changes["bio"] = bio.strip()
        if len(changes["bio"]) > BIO_MAX:
            length = len(changes["bio"])
            errors["bio"] = [f"Keep your bio to {BIO_MAX} characters (this has {length})."]
    if website is not None:
        try:
            changes["website"] = _website_clean(website)
        except ValidationError as error:
            errors["website"] = error.messages
    return changes, {field: messages for field, messages in errors.items() if messages}


def user_profile_update(*, user, display_name=None, bio=None, website=None, avatar=None):
    """Change the given profile fields (None leaves one as it is); a new avatar replaces the old."""
    changes, errors = _profile_changes(display_name=display_name, bio=bio, website=website)
    avatar_content = None
    if avatar is not None:
        try:
            avatar_content = _avatar_render(user=user, upload=avatar)
        except UploadBudgetExceeded:
            raise  # as it is: the budget's answer is "wait", not "fix this field"
        except ValidationError as error:
            errors["avatar"] = error.messages
    if errors:
        raise ValidationError(errors)
    if not changes and avatar_content is None:
        return user
    # The image work and the file write happen before the transaction, which stays short.
    old_avatar = user.avatar.name
    storage = user.avatar.storage
    if avatar_content is not None:
        user.avatar.save(f"{uuid.uuid4().hex[:16]}.jpg", avatar_content, save=False)
        changes["avatar"] = user.avatar.name
    try:
        with write_transaction():
            User.objects.filter(pk=user.pk).update(**changes)
            profile_cache_forget(user.pk)
            if avatar_content is not None and old_avatar:
                transaction.on_commit(lambda: storage.delete(old_avatar))
    except BaseException:
        if avatar_content is not None:
            storage.delete(user.avatar.name)
            user.avatar.name = old_avatar
        raise
    for field, value in changes.items():
        setattr(user, field, value)
    return user


def user_privacy_set(*, user, is_private):
    """Make the account private or public; going public accepts every pending request.

    Returns how many requests were accepted.
    """
    with write_transaction():
        # Accept first: it takes the row locks in pk order, which the UPDATE below must not.
        accepted = 0 if is_private else follow_requests_accept_all(owner=user)
        User.objects.filter(pk=user.pk).update(is_private=is_private)
        profile_cache_forget(user.pk)
    user.is_private = is_private
    return accepted


# --- Deletion and counter repair ---------------------------------------------------------------


def _counters_release(user):
    """Take the user's likes, comments and accepted follows out of everyone else's counters.

    Set-based: one UPDATE per counter, whatever the number of rows. Returns the ids of the
    accounts whose follow counters moved.
    """
    others_posts = Post.objects.exclude(author=user)
    others_posts.filter(pk__in=Like.objects.filter(user=user).values("post_id")).update(
        like_count=counter_delta("like_count", -1)
    )
    comments = Comment.objects.filter(author=user, removed_at__isnull=True)
    per_post = (
        comments.filter(post=OuterRef("pk")).order_by().values("post").annotate(n=Count("pk"))
    )
    others_posts.filter(pk__in=comments.values("post_id")).update(
        comment_count=counter_delta("comment_count", -Subquery(per_post.values("n")))
    )
    follows = Follow.objects.accepted()
    followed = list(follows.filter(follower=user).values_list("following_id", flat=True))
    followers = list(follows.filter(following=user).values_list("follower_id", flat=True))
    User.objects.filter(pk__in=followed).update(follower_count=counter_delta("follower_count", -1))
    User.objects.filter(pk__in=followers).update(
        following_count=counter_delta("following_count", -1)
    )
    return followed + followers


def _media_files(user):
    names = [user.avatar.name] if user.avatar else []
    for row in PostImage.objects.filter(post__author=user).values_list(
        "image", "display", "thumbnail"
    ):
        names.extend(name for name in row if name)
    return names


def _files_delete(storage, names):
    for name in names:
        storage.delete(name)


def user_delete(*, user, password):
    """Delete the account with its posts, comments, likes and follows, after a password check.

    Everyone else's counters stay equal to their rows. Files go once the deletion commits.
    """
    if not user.check_password(password):
        raise ValidationError({"password": ["That password isn't right."]})
    storage = user.avatar.storage
    with write_transaction():
        # Lock the account first so no follow or request to it can slip in meanwhile.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        files = _media_files(user)
        counted = _counters_release(user)
        User.objects.filter(pk=user.pk).delete()
        # The others' headers: many accounts may have lost a follower, so a worker does it.
        outbox_enqueue(PROFILE_FORGET_TASK, [user.pk, *counted])
        transaction.on_commit(lambda: _files_delete(storage, files))


def user_counters_recount(*, user_ids=None):
    """Set post, follower and following counts to the rows they count; returns users changed."""

    def count_of(qs, field):
        counted = qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    truth = {
        "post_count": count_of(Post.objects.filter(removed_at__isnull=True), "author"),
        "follower_count": count_of(Follow.objects.accepted(), "following"),
        "following_count": count_of(Follow.objects.accepted(), "follower"),
    }
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    drifted = users.annotate(**{f"true_{name}": value for name, value in truth.items()}).filter(
        ~Q(**{name: F(f"true_{name}") for name in truth})
    )
    with write_transaction():
        drifted_ids = list(drifted.values_list("pk", flat=True))
        User.objects.filter(pk__in=drifted_ids).update(**truth)
        profile_cache_forget(*drifted_ids)
    return len(drifted_ids)
