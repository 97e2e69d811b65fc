"""Builds the demo network in bulk: a handful of set-based INSERTs per table, never one per row.

The shape is believable rather than random: people post the kinds of pictures they like,
likes and comments come from followers soon after a post, and notifications exist for the
recent part of it all. Every counter is set from its rows at the end.
"""

import math
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.management.demo import vocabulary as words
from accounts.management.demo.images import build_image_pool
from accounts.management.demo.people import (
    DAY,
    LOGINS,
    MIN_USERS,
    NOTIFY_WINDOW,
    PASSWORD,
    GraphBuilder,
    explicit_timestamps,
    weighted_picker,
)
from accounts.models import User
from posts.models import (
    Comment,
    Hashtag,
    Like,
    Mention,
    Post,
    PostHashtag,
    PostImage,
    SavedPost,
    image_path,
)
from social.graph.models import Block, Follow, Mute
from social.moderation.models import ModerationAction, Report
from social.moderation.moderators import MODERATORS_GROUP
from social.notifications.models import Notification

__all__ = ["LOGINS", "MIN_USERS", "PASSWORD", "NetworkBuilder"]
SCENES_BY_NAME = {scene.name: scene for scene in words.SCENES}


class NetworkBuilder(GraphBuilder):
    """The whole demo network: the graph, then posts and everything people do with them."""

    def build(self):
        dated = (
            Post, Comment, Like, SavedPost, Mention, Follow, Block, Mute, Notification, Report,
            ModerationAction,
        )  # fmt: skip
        with explicit_timestamps(*dated):
            self.users()
            self.blocks()
            self.follows()
            self.mutes()
            posts = self.posts()
            self.likes(posts)
            comments = self.comments(posts)
            self.saves()
            self.write_notifications()
            self.reports(posts, comments)
        self.recount()
        return self.counts

    def posts(self):
        """Posts with their images, hashtags and caption mentions; returns them oldest first."""
        pool = build_image_pool(self.rng)
        by_scene = {
            scene.name: [img for img in pool if img.scene == scene.name] for scene in words.SCENES
        }
        drafts = sorted(
            (self._draft(author) for author in self._authors()), key=lambda d: d["when"]
        )
        posts = self._bulk(
            Post,
            [
                Post(author_id=d["author"], caption=d["caption"], created_at=d["when"])
                for d in drafts
            ],
        )
        for post, draft in zip(posts, drafts, strict=True):
            post.draft = draft
        self._images(posts, by_scene)
        self._hashtags(posts)
        self._caption_mentions(posts)
        self.counts["posts"] = len(posts)
        return posts

    def _authors(self):
        """Who wrote each post: the demo logins a few for sure, then busier popular people."""
        candidates = [
            pk for pk in self.ranked if pk not in (self.logins["moderator"], self.logins["admin"])
        ]
        activity = [
            self.rng.lognormvariate(0, 0.9) * (1 + 4 * math.sqrt(self.people[pk].weight))
            for pk in candidates
        ]
        sure = [self.logins["alice"]] * 12 + [self.logins["nora"]] * 6
        sure = sure[: self.n_posts]
        return sure + weighted_picker(self.rng, candidates, activity)(self.n_posts - len(sure))

    def _draft(self, author):
        rng, person = self.rng, self.people[author]
        # People mostly post the two kinds of pictures they like, which makes profiles coherent.
        if rng.random() < 0.75:
            scene = SCENES_BY_NAME[rng.choice(person.scenes)]
        else:
            scene = rng.choice(words.SCENES)
        tags = rng.sample(scene.tags, rng.randint(0, len(scene.tags)))
        if rng.random() < 0.3:
            tags.append(rng.choice(words.GENERAL_TAGS))
        mentioned = None
        if person.following and rng.random() < 0.15:
            mentioned = rng.choice(person.following)
        caption = rng.choice(scene.captions)
        if mentioned:
            caption += f" With @{self.usernames[mentioned]}."
        if tags:
            caption += " " + " ".join(f"#{tag}" for tag in tags)
        images = 1 if rng.random() < 0.8 else rng.randint(2, 4)
        return {
            "author": author,
            "caption": caption,
            "when": self._anytime(),
            "scene": scene.name,
            "images": images,
            "tags": tags,
            "mentioned": mentioned,
        }

    def _images(self, posts, by_scene):
        rows = []
        for post in posts:
            pictures = by_scene[post.draft["scene"]]
            chosen = self.rng.sample(pictures, min(len(pictures), post.draft["images"]))
            # Random names like real uploads get (upload_to): never the author's or post's id.
            rows.extend(
                PostImage(
                    post_id=post.pk,
                    position=position,
                    image=self.copies(img.image, image_path(None, img.image)),
                    display=self.copies(img.display, image_path(None, img.display)),
                    thumbnail=self.copies(img.thumbnail, image_path(None, img.thumbnail)),
                    width=img.width,
                    height=img.height,
                    alt_text=img.alt,
                    phash=img.phash,
                )
                for position, img in enumerate(chosen)
            )
        self.counts["images"] = len(self._bulk(PostImage, rows))

    def _hashtags(self, posts):
        names = sorted({tag for post in posts for tag in post.draft["tags"]})
        tags = {tag.name: tag.pk for tag in self._bulk(Hashtag, [Hashtag(name=n) for n in names])}
        links = [
            PostHashtag(post_id=post.pk, hashtag_id=tags[tag])
            for post in posts
            for tag in post.draft["tags"]
        ]
        self._bulk(PostHashtag, links)
        self.counts["hashtags"] = len(tags)

    def _caption_mentions(self, posts):
        rows = []
        for post in posts:
            mentioned = post.draft["mentioned"]
            if mentioned is None:
                continue
            rows.append(Mention(user_id=mentioned, post_id=post.pk, created_at=post.created_at))
            self._notify(
                recipient=mentioned,
                actor=post.author_id,
                kind="mention",
                when=post.created_at,
                post=post.pk,
            )
        self.counts["mentions"] = len(self._bulk(Mention, rows))

    def likes(self, posts):
        rows = []
        everyone = self.ranked
        for post in posts:
            author = self.people[post.author_id]
            audience = author.followers
            likers = self.rng.sample(audience, round(len(audience) * self.rng.betavariate(1.5, 9)))
            if not author.private:
                likers += self.rng.sample(everyone, min(len(everyone), self.rng.randint(0, 3)))
            post.likers = [pk for pk in dict.fromkeys(likers) if self._may_interact(pk, author.pk)]
            for liker in post.likers:
                when = self._soon_after(post.created_at)
                self.people[liker].liked.append((post.pk, when))
                self._notify(recipient=author.pk, actor=liker, kind="like", when=when, post=post.pk)
                rows.append(Like(user_id=liker, post_id=post.pk, created_at=when))
        self.counts["likes"] = len(self._bulk(Like, rows))

    def comments(self, posts):
        drafts = []
        for post in posts:
            voices = post.likers or self.people[post.author_id].followers
            for _ in range(min(len(voices), int(self.rng.expovariate(0.7)))):
                commenter = self.rng.choice(voices)
                when = self._soon_after(post.created_at)
                drafts.append((post, commenter, self.rng.choice(words.COMMENTS), when, None))
            if drafts and drafts[-1][0] is post and self.rng.random() < 0.3:
                last = drafts[-1][1]
                reply = self.rng.choice(words.REPLIES).format(name=self.usernames[last])
                drafts.append((post, post.author_id, reply, self._soon_after(drafts[-1][3]), last))
        rows = [
            Comment(post_id=post.pk, author_id=author, text=text, created_at=when)
            for post, author, text, when, _ in drafts
        ]
        comments = self._bulk(Comment, rows)
        self._replies_thread(comments, drafts)
        mentions = []
        for comment, (post, author, _, when, mentioned) in zip(comments, drafts, strict=True):
            comment.post_author_id = post.author_id
            self._notify(
                recipient=post.author_id,
                actor=author,
                kind="comment",
                when=when,
                post=post.pk,
                comment=comment.pk,
            )
            if mentioned is not None:
                mentions.append(Mention(user_id=mentioned, comment_id=comment.pk, created_at=when))
                # The author's answer is a reply to that comment: told as a reply, not a mention.
                self._notify(
                    recipient=mentioned,
                    actor=author,
                    kind="reply",
                    when=when,
                    post=post.pk,
                    comment=comment.pk,
                )
        self._bulk(Mention, mentions)
        self.counts["comments"] = len(comments)
        self.counts["mentions"] += len(mentions)
        return comments

    def _replies_thread(self, comments, drafts):
        """The post author's answer (a draft naming whom it mentions) replies to the comment
        just before it, as on the site: one level of replies."""
        replies = []
        for index, (comment, draft) in enumerate(zip(comments, drafts, strict=True)):
            if draft[4] is not None:
                comment.parent_id = comments[index - 1].pk
                replies.append(comment)
        Comment.objects.bulk_update(replies, ["parent"], batch_size=1000)

    def saves(self):
        rows = []
        for person in self.people.values():
            wanted = 12 if person.pk == self.logins["alice"] else self.rng.randint(0, 6)
            for post_id, liked_at in self.rng.sample(person.liked, min(wanted, len(person.liked))):
                when = min(self.now, liked_at + timedelta(minutes=self.rng.uniform(0, 90)))
                rows.append(SavedPost(user_id=person.pk, post_id=post_id, created_at=when))
        self.counts["saved"] = len(self._bulk(SavedPost, rows))

    def write_notifications(self):
        recent = self.now - NOTIFY_WINDOW
        everything_for = {self.logins["alice"], self.logins["nora"]}
        rows = []
        for recipient, actor, kind, when, post, comment in self.notifications:
            if recipient == actor or (recipient, actor) in self.muted:
                continue
            if when < recent and recipient not in everything_for:
                continue
            rows.append(
                Notification(
                    recipient_id=recipient,
                    actor_id=actor,
                    kind=kind,
                    post_id=post,
                    comment_id=comment,
                    created_at=when,
                    read_at=when + timedelta(hours=1) if when < self.now - DAY else None,
                )
            )
        self.counts["notifications"] = len(self._bulk(Notification, rows))

    def reports(self, posts, comments):
        """Open reports for the moderation queue: single ones, a post several people reported,
        one waiting for over a week, and a spammer with an earlier moderation record. The
        moderator login joins the Moderators group (made by a migration)."""
        moderator = self.logins["moderator"]
        Group.objects.get(name=MODERATORS_GROUP).user_set.add(moderator)
        public = [p for p in posts if not self.people[p.author_id].private]
        on_public = [c for c in comments if not self.people[c.post_author_id].private]
        spammer = self.rng.choice(self.ordinary[len(self.ordinary) // 2 :])
        recent = self.now - 2 * DAY
        targets = [("spam", "Same link in every comment.", {"user_id": spammer}, spammer, recent)]
        picked = self.rng.sample(public, min(4, len(public)))
        cases = [
            ("spam", "", recent),
            ("violence", "Looks staged, but still upsetting.", recent),
            ("nudity", "", self.now - 9 * DAY),
            ("hate", "The caption is a slur.", self.now - DAY / 2),
        ]
        for post, (reason, text, since) in zip(picked, cases, strict=False):
            targets.append((reason, text, {"post_id": post.pk}, post.author_id, since))
        if picked:
            # One post several people reported: the queue shows how many are open on it.
            crowd = picked[0]
            for reason, text in (("spam", "Fake giveaway."), ("other", "Scam link in bio.")):
                targets.append((reason, text, {"post_id": crowd.pk}, crowd.author_id, recent))
        for comment, (reason, text) in zip(
            self.rng.sample(on_public, min(2, len(on_public))),
            (("harassment", "Rude to the author."), ("hate", "")),
            strict=False,
        ):
            targets.append((reason, text, {"comment_id": comment.pk}, comment.author_id, recent))
        rows = []
        taken = set()
        for reason, text, target, owner, since in targets:
            witnesses = [
                pk
                for pk in self.ordinary[:50]
                if self._may_interact(pk, owner) and (pk, *target.items()) not in taken
            ]
            if not witnesses:
                continue
            reporter = self.rng.choice(witnesses)
            taken.add((reporter, *target.items()))
            when = self._soon_after(since)
            rows.append(
                Report(reporter_id=reporter, reason=reason, text=text, created_at=when, **target)
            )
        self.counts["reports"] = len(self._bulk(Report, rows))
        self._moderation_record(spammer, moderator)

    def _moderation_record(self, spammer, moderator):
        """The spammer was reported before: a dismissed report, and a suspension lifted."""
        witness = next(pk for pk in self.ordinary if self._may_interact(pk, spammer))
        early = self.now - 20 * DAY
        old = Report.objects.create(
            reporter_id=witness,
            user_id=spammer,
            reason="spam",
            status=Report.Status.DISMISSED,
            handled_by_id=moderator,
            handled_at=early,
            created_at=early - DAY,
            digested_at=early,
        )
        name = f"@{self.usernames[spammer]}"
        history = [
            (ModerationAction.Action.DISMISS_REPORT, f"Report #{old.pk} on {name}", "One report, "
             "no pattern yet.", old, early),
            (ModerationAction.Action.SUSPEND_USER, name, "Spam links in comments.", None,
             early + DAY),
            (ModerationAction.Action.UNSUSPEND_USER, name, "Promised to stop; first time.", None,
             early + 2 * DAY),
        ]  # fmt: skip
        ModerationAction.objects.bulk_create(
            ModerationAction(
                moderator_id=moderator,
                action=action,
                user_id=spammer,
                report=report,
                target_repr=target,
                reason=reason,
                created_at=when,
            )
            for action, target, reason, report, when in history
        )

    def recount(self):
        """Every counter set to the exact number of rows it counts, one UPDATE per table."""
        accepted = {"status": Follow.Status.ACCEPTED}
        User.objects.update(
            post_count=_count(Post, "author"),
            follower_count=_count(Follow, "following", **accepted),
            following_count=_count(Follow, "follower", **accepted),
        )
        Post.objects.update(like_count=_count(Like, "post"), comment_count=_count(Comment, "post"))
        Comment.objects.update(reply_count=_count(Comment, "parent"))


def _count(model, fk, **filters):
    """Subquery: how many `model` rows point at the outer row through `fk` (0 when none)."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))
