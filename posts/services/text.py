"""#hashtags and @mentions: finding them in text and keeping their rows in step with it."""

import re
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from accounts.models import User
from posts.models import Hashtag, Mention, PostHashtag, post_audience_q
from social.notifications.models import Notification
from social.notifications.triggers import notification_enqueue

# The one definition of what a #hashtag and an @mention are: the rows kept here and the links
# in captions (posts.templatetags.shutter.linkify) both come from text_tokens().
# A hashtag is not after a word character ("a#b"), a slash (a URL's "/#fragment") or "&"
# ("&#39;"); a mention is not after a word character or a dot, so e-mail addresses are not
# mentions. Neither pattern can consume the other's sigil, so one combined scan finds both.
TOKEN_RE = re.compile(r"(?<![\w&/])#(?P<tag>\w+)|(?<![\w.@])@(?P<user>[\w.+-]+)")
HASHTAG_MAX_LENGTH = Hashtag._meta.get_field("name").max_length
USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


@dataclass(frozen=True)
class Token:
    """A #hashtag or @mention found in text; `start`/`end` span it as written, sigil included."""

    kind: str  # "hashtag" or "mention"
    name: str  # as written, without the sigil
    start: int
    end: int


def text_tokens(text):
    """The hashtags and mentions of `text`, in order, as Tokens."""
    for match in TOKEN_RE.finditer(text or ""):
        if match["tag"] is not None:
            name = match["tag"]
            # "#1" is a number, not a topic.
            if len(name) <= HASHTAG_MAX_LENGTH and not name.isdigit():
                yield Token("hashtag", name, match.start(), match.end())
        else:
            # A full stop after a name ends the sentence, not the username.
            name = match["user"].rstrip(".+-")
            if name and len(name) <= USERNAME_MAX_LENGTH:
                yield Token("mention", name, match.start(), match.start() + 1 + len(name))


def text_html(text, *, autoescape=True):
    """`text` as HTML: escaped, #tags and @mentions as links, line breaks kept.

    What counts as a tag or a mention is text_tokens()'s, so a link appears exactly where the
    stored Hashtag and Mention rows say one is. Captions keep it in their cached card
    (posts.hydration); templates reach it through the `linkify` filter.
    """
    esc = escape if autoescape else str
    text = str(text or "").replace("\r\n", "\n")
    parts, last = [], 0
    for token in text_tokens(text):
        parts.append(esc(text[last : token.start]))
        if token.kind == "hashtag":
            url = reverse("posts:tag", args=[token.name.lower()])
            parts.append(format_html('<a class="tag" href="{}">#{}</a>', url, token.name))
        else:
            url = f"/u/{token.name}/"
            parts.append(format_html('<a class="mention" href="{}">@{}</a>', url, token.name))
        last = token.end
    parts.append(esc(text[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))


def _unique(items):
    return list(dict.fromkeys(items))


def hashtags_in(text):
    """The distinct hashtags in `text`, lower-cased, in order of first appearance."""
    return _unique(t.name.lower() for t in text_tokens(text) if t.kind == "hashtag")


def mentions_in(text):
    """The distinct @usernames in `text`, as written, without trailing punctuation."""
    return _unique(t.name for t in text_tokens(text) if t.kind == "mention")


def hashtags_get_or_create(names):
    """Hashtag rows for lower-cased `names`, creating the missing ones (safe under races)."""
    if not names:
        return []
    # Conflicts with the case-insensitive unique constraint (a concurrent insert, or a row
    # someone typed with capitals) are skipped; the select below then finds that row.
    Hashtag.objects.bulk_create([Hashtag(name=name) for name in names], ignore_conflicts=True)
    return list(Hashtag.objects.alias(lname=Lower("name")).filter(lname__in=names))


def post_hashtags_sync(*, post):
    """Link `post` to exactly the hashtags of its caption."""
    wanted = {tag.pk for tag in hashtags_get_or_create(hashtags_in(post.caption))}
    linked = set(PostHashtag.objects.filter(post=post).values_list("hashtag_id", flat=True))
    if linked - wanted:
        PostHashtag.objects.filter(post=post, hashtag_id__in=linked - wanted).delete()
    PostHashtag.objects.bulk_create(
        [PostHashtag(post=post, hashtag_id=pk) for pk in wanted - linked], ignore_conflicts=True
    )


def _mentionable_users(*, actor, text, post):
    """Active users named in `text` (case-insensitively) that `actor` has no block with and
    that may see `post` now: a mention must not carry a post to someone it is hidden from
    (a stranger to a private account, someone across a block with its author)."""
    names = mentions_in(text)
    if not names:
        return {}
    # Both spellings: SQLite's lower() folds ASCII only, so "Ärne" must also match as written.
    candidates = {name.lower() for name in names} | set(names)
    users = (
        User.objects.visible_to(actor)
        .filter(post_audience_q(post.pk))
        .alias(lname=Lower("username"))
    )
    return {user.pk: user for user in users.filter(lname__in=candidates)}


def mentions_sync(*, actor, text, post=None, comment=None):
    """Make the Mention rows of a caption (`post`) or a comment match `text`.

    New mentions notify the person mentioned; mentions edited away lose their notification.
    """
    source = {"post": post} if comment is None else {"comment": comment}
    notify_post = post if comment is None else comment.post
    wanted = _mentionable_users(actor=actor, text=text, post=notify_post)
    current = set(Mention.objects.filter(**source).values_list("user_id", flat=True))
    dropped = current - wanted.keys()
    if dropped:
        Mention.objects.filter(**source, user_id__in=dropped).delete()
        # Not notification_remove: it cannot say "no comment", and would also take away this
        # author's mention of the same person in a comment on the same post.
        Notification.objects.filter(
            actor=actor,
            kind=Notification.Kind.MENTION,
            recipient_id__in=dropped,
            post=notify_post,
            comment=comment,
        ).delete()
    added = wanted.keys() - current
    if not added:
        return
    Mention.objects.bulk_create(
        [Mention(user_id=pk, **source) for pk in added], ignore_conflicts=True
    )
    # Read back: with ignore_conflicts the database does not return the new ids.
    mention_ids = Mention.objects.filter(**source, user_id__in=added).values_list("pk", flat=True)
    notification_enqueue(kind=Notification.Kind.MENTION, source_ids=mention_ids)
