"""Every write of an account alone: sign-up, profile, access flags, its sessions and API tokens.
Privacy (which accepts follow requests) is the graph's (social.graph.services); deletion and
counter repair, which reach every app, are social.lifecycle's."""

import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.cache import profile_cache_forget
from accounts.models import User, UserSession
from accounts.sessions import session_store_delete
from core import images
from core.rest.authentication import api_token_revoke
from core.transactions import write_transaction
from core.upload_budget import UploadBudgetExceeded, upload_budget_charge
from social.graph.triggers import timeline_author_changed

USERNAME_MIN, USERNAME_MAX = 3, 30
USERNAME_CHARS = re.compile(r"[A-Za-z0-9._]+")
DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
BIO_MAX = User._meta.get_field("bio").max_length
WEBSITE_MAX = User._meta.get_field("website").max_length
EMAIL_MAX = User._meta.get_field("email").max_length


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
    side = settings.SHUTTER["THUMBNAIL_SIZE"]
    label = getattr(upload, "name", None) or "avatar"
    opened = images.upload_open(upload, label=label, fit=(side, side))
    try:
        upload_budget_charge(user_id=user.pk, pixels=opened.pixels, field="avatar")
    except ValidationError:
        opened.img.close()
        raise
    return images.avatar_variant(images.upload_decode(opened))


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
        user.avatar.save("avatar.jpg", avatar_content, save=False)  # upload_to makes it random
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


def user_access_set(*, user, is_active=None, is_staff=None, is_superuser=None):
    """Set the given access flags (None leaves one as it is), for the admin.

    An inactive account can't log in and is hidden with what it posted, as a suspended one
    is; its cached header is forgotten with the change.
    """
    flags = {"is_active": is_active, "is_staff": is_staff, "is_superuser": is_superuser}
    changes = {name: value for name, value in flags.items() if value is not None}
    if not changes:
        return user
    with write_transaction():
        User.objects.filter(pk=user.pk).update(**changes)
        profile_cache_forget(user.pk)
        if "is_active" in changes and changes["is_active"] != user.is_active:
            timeline_author_changed(author_id=user.pk)
    for name, value in changes.items():
        setattr(user, name, value)
    return user


# --- Sessions and tokens -----------------------------------------------------------------------


def user_sessions_end(*, user, keep=None, tokens=True):
    """Sign the account out everywhere but the session recorded as `keep` (a UserSession id),
    and end its API tokens unless tokens=False. After a password change, a reset, "sign out
    everywhere" and a suspension.

    Sessions nobody recorded end too: the session generation moves, and with it every other
    session's auth hash. The one kept must then take the new hash (update_session_auth_hash).
    """
    with write_transaction():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        records = UserSession.objects.filter(user=user).exclude(pk=keep)
        keys = list(records.values_list("session_key", flat=True))
        records.delete()
        if tokens:
            api_token_revoke(user=user)
    user.refresh_from_db(fields=["session_generation"])
    session_store_delete(keys)


def user_session_end(*, user, session_id):
    """Sign out one of the account's own sessions (by its UserSession id); DoesNotExist when it
    is not one of theirs."""
    record = UserSession.objects.get(pk=session_id, user=user)
    record.delete()
    session_store_delete([record.session_key])
