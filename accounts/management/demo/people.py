"""The social graph of the demo: accounts, who follows whom, blocks and mutes.

Popularity follows a power law, so a few accounts are followed by most people, as on any
photo network. NetworkBuilder (network.py) then fills the graph with posts and activity.
"""

import bisect
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.management.demo import vocabulary as words
from accounts.management.demo.images import AvatarPainter, OwnCopies
from accounts.models import User, avatar_path
from social.graph.models import Block, Follow, Mute

PASSWORD = "shutter-demo"
BATCH = 5000
DAY = timedelta(days=1)
WINDOW = 30 * DAY
# Everyone gets notifications for the last few days; the demo logins for the whole month.
NOTIFY_WINDOW = 3 * DAY
MIN_USERS = 10


@dataclass(frozen=True)
class Login:
    username: str
    display_name: str
    note: str
    private: bool = False
    staff: bool = False
    superuser: bool = False


LOGINS = [
    Login("alice", "Alice Martin", "a popular account that follows many people"),
    Login("nora", "Nora Lindqvist", "a private account with follow requests waiting", private=True),
    Login("moderator", "Sam Okafor", "staff, for the moderation admin", staff=True),
    Login("admin", "Shutter Admin", "superuser, everything in /admin/", staff=True, superuser=True),
]


@dataclass
class Person:
    """What the builder remembers about one account while it draws the rest of the network."""

    pk: int
    weight: float
    private: bool = False
    scenes: tuple = ()
    followers: list = field(default_factory=list)
    following: list = field(default_factory=list)
    liked: list = field(default_factory=list)


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the created_at values we give it instead of stamping "now".

    auto_now_add is switched off only inside this block, in this process.
    """
    fields = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def weighted_picker(rng, ids, weights):
    """A function drawing k ids with replacement, proportionally to `weights` (O(log n) each)."""
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def pick(k):
        return [ids[bisect.bisect(cumulative, rng.random() * total)] for _ in range(k)]

    return pick


class GraphBuilder:
    """Accounts and their relations, remembered in memory for the activity drawn on them."""

    def __init__(self, *, rng, users, posts):
        self.rng = rng
        self.n_users = users
        self.n_posts = posts
        self.now = timezone.now()
        self.people = {}
        self.logins = {}
        self.blocked = set()
        self.muted = set()
        self.notifications = []
        self.counts = {}
        self.usernames = {}
        self.copies = OwnCopies()

    # --- helpers -------------------------------------------------------------------------------

    def _anytime(self):
        """A moment in the last 30 days."""
        return self.now - WINDOW * self.rng.random()

    def _soon_after(self, start):
        """A moment between `start` and now, most likely early on: attention fades."""
        return start + (self.now - start) * self.rng.random() ** 3

    def _may_interact(self, a, b):
        """Not the same account, and no block between them."""
        return a != b and (a, b) not in self.blocked

    def _notify(self, *, recipient, actor, kind, when, post=None, comment=None):
        self.notifications.append((recipient, actor, kind, when, post, comment))

    @staticmethod
    def _bulk(model, rows):
        return model.objects.bulk_create(rows, batch_size=BATCH)

    # --- the graph -------------------------------------------------------------------------------

    def users(self):
        password = make_password(PASSWORD)  # hashing is slow by design: once, not per account
        avatar = AvatarPainter()
        taken = {login.username for login in LOGINS}
        rows = [self._login_row(login, password, avatar) for login in LOGINS]
        names = list(itertools.product(words.FIRST_NAMES, words.LAST_NAMES))
        self.rng.shuffle(names)
        for i in range(self.n_users - len(LOGINS)):
            first, last = names[i % len(names)]
            username = self._username(first, last, taken)
            taken.add(username)
            rows.append(self._user_row(username, f"{first} {last}", password, avatar))
        created = self._bulk(User, rows)
        self.counts["users"] = len(created)
        self.usernames = {user.pk: user.username for user in created}
        self._rank([user.pk for user in created])
        for login, user in zip(LOGINS, created, strict=False):
            self.logins[login.username] = user.pk
            self.people[user.pk].private = login.private

    def _login_row(self, login, password, avatar):
        user = self._user_row(login.username, login.display_name, password, avatar)
        user.is_private = login.private
        user.is_staff = login.staff
        user.is_superuser = login.superuser
        user.avatar = self._avatar(avatar, login.display_name)
        user.bio = user.bio or "Here for the pictures."
        return user

    def _username(self, first, last, taken):
        first, last = first.lower(), last.lower()
        styles = [
            first,
            f"{first}.{last}",
            f"{first}_{last}",
            f"{first}{last[0]}",
            f"{last}.{first}",
        ]
        for candidate in styles:
            if candidate not in taken:
                return candidate
        return next(f"{first}{n}" for n in itertools.count(2) if f"{first}{n}" not in taken)

    def _user_row(self, username, display_name, password, avatar):
        rng = self.rng
        return User(
            username=username,
            email=f"{username}@example.com",
            display_name=display_name,
            bio=rng.choice(words.BIOS),
            website=f"https://{username.replace('.', '-').replace('_', '-')}.example.com"
            if rng.random() < 0.15
            else "",
            avatar=self._avatar(avatar, display_name) if rng.random() < 0.85 else "",
            password=password,
            date_joined=self.now - WINDOW - timedelta(days=rng.uniform(1, 400)),
        )

    def _avatar(self, painter, display_name):
        # A random name like real uploads get (upload_to), not one made from the username.
        return self.copies(painter(display_name), avatar_path(None, "avatar.jpg"))

    def _rank(self, pks):
        """Popularity follows a power law: weight 1/rank. Alice ranks near the top."""
        logins = pks[: len(LOGINS)]
        ordinary = pks[len(LOGINS) :]
        self.rng.shuffle(ordinary)
        alice, nora, moderator, admin = logins
        ranked = [*ordinary[:2], alice, *ordinary[2:12], nora, *ordinary[12:], moderator, admin]
        self.ordinary = [pk for pk in ranked if pk not in logins]
        scene_names = [scene.name for scene in words.SCENES]
        for rank, pk in enumerate(ranked, start=1):
            scenes = tuple(self.rng.sample(scene_names, 2))
            self.people[pk] = Person(pk=pk, weight=1 / rank, scenes=scenes)
        self.ranked = ranked

    def blocks(self):
        rows = []
        for _ in range(max(2, self.n_users // 100)):
            blocker, blocked = self.rng.sample(self.ordinary, 2)
            if (blocker, blocked) in self.blocked:
                continue
            self.blocked |= {(blocker, blocked), (blocked, blocker)}
            rows.append(Block(blocker_id=blocker, blocked_id=blocked, created_at=self._anytime()))
        self.counts["blocks"] = len(self._bulk(Block, rows))

    def follows(self):
        pick = weighted_picker(
            self.rng, self.ranked, [self.people[pk].weight for pk in self.ranked]
        )
        rows = []
        for person in self.people.values():
            for target in self._followees(person, pick):
                rows.append(self._follow_row(person, self.people[target]))
        rows.extend(self._extra_requests(rows))
        self.counts["follows"] = len(self._bulk(Follow, rows))

    def _followees(self, person, pick):
        if person.pk == self.logins["admin"]:
            return []
        if person.pk == self.logins["alice"]:
            wanted = min(self.n_users - 1, 150)
        else:
            wanted = min(self.n_users - 1, max(2, int(self.rng.lognormvariate(3.0, 0.8))))
        chosen = dict.fromkeys(t for t in pick(wanted * 2 + 5) if self._may_interact(person.pk, t))
        return list(chosen)[:wanted]

    def _follow_row(self, follower, target):
        when = self._anytime()
        pending = target.private and self.rng.random() < 0.15
        if pending:
            self._notify(recipient=target.pk, actor=follower.pk, kind="follow_request", when=when)
            return Follow(
                follower_id=follower.pk,
                following_id=target.pk,
                status=Follow.Status.PENDING,
                created_at=when,
            )
        target.followers.append(follower.pk)
        follower.following.append(target.pk)
        accepted = min(self.now, when + timedelta(hours=self.rng.uniform(0, 20)))
        if target.private:
            kind, recipient, actor = "follow_accepted", follower.pk, target.pk
        else:
            kind, recipient, actor = "follow", target.pk, follower.pk
        self._notify(recipient=recipient, actor=actor, kind=kind, when=accepted)
        return Follow(
            follower_id=follower.pk,
            following_id=target.pk,
            created_at=when,
            accepted_at=accepted,
        )

    def _extra_requests(self, rows):
        """Top up the private account's waiting requests so there are always a few to answer."""
        nora = self.logins["nora"]
        asked = {r.follower_id for r in rows if r.following_id == nora}
        waiting = sum(
            1 for r in rows if r.following_id == nora and r.status == Follow.Status.PENDING
        )
        strangers = [pk for pk in self.ordinary if pk not in asked and self._may_interact(pk, nora)]
        extra = []
        for pk in self.rng.sample(strangers, min(len(strangers), max(0, 4 - waiting))):
            when = self._soon_after(self.now - 2 * DAY)
            self._notify(recipient=nora, actor=pk, kind="follow_request", when=when)
            extra.append(
                Follow(
                    follower_id=pk, following_id=nora, status=Follow.Status.PENDING, created_at=when
                )
            )
        return extra

    def mutes(self):
        rows = []
        candidates = [p for p in self.people.values() if p.following]
        wanted = min(len(candidates), max(2, self.n_users // 60))
        for person in self.rng.sample(candidates, wanted):
            muted = self.rng.choice(person.following)
            self.muted.add((person.pk, muted))
            rows.append(Mute(muter_id=person.pk, muted_id=muted, created_at=self._anytime()))
        self.counts["mutes"] = len(self._bulk(Mute, rows))
