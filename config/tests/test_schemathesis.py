"""The API against its own OpenAPI schema, generated requests in process (Schemathesis).

Every operation of /api/schema/ gets a bounded, derandomized set of requests, valid and
invalid, sent as a signed-in user through the WSGI app. Each answer must not be a 5xx, must
use a status code and content type the schema lists for the operation, and must have the body
the schema describes. Path parameters are drawn either by the generator or from the seeded
network below, so the requests reach real posts, comments, people and follow requests, not
only 404s.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import PASSWORD, UserFactory
from posts.services import comment_add, like_add, post_create, save_add
from posts.services.uploads import media_upload_create
from posts.tests.factories import photo_upload
from social.graph.services import block_create, follow_create, mute_create, user_privacy_set
from social.mastodon.entities import status_id_of_comment
from social.moderation.services import comment_remove
from social.notifications.models import Notification
from social.tests.factories import NotificationFactory
from social.tests.moderation_helpers import moderator_make

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25

# Values of the seeded network per path parameter, refilled by the `network` fixture for each
# operation. Hypothesis builds its strategies before fixtures run, so the strategy reads them
# from here when it draws.
SEEDED = {}


@schema.hook
def before_generate_path_parameters(context, strategy):
    names = [p.name for p in context.operation.path_parameters]
    if not names:
        return strategy
    seeded = st.fixed_dictionaries(
        {name: st.integers(0, 9).map(lambda i, name=name: _seeded(name, i)) for name in names}
    )
    return st.one_of(seeded, strategy)


def _seeded(name, index):
    values = SEEDED[name]
    return values[index % len(values)]


@pytest.fixture
def connections_kept_open():
    """Keep the test's database connection across requests, as Django's test client does.

    A WSGI request closes the connection when it ends; the test's transaction (and the seeded
    rows in it) would go with it.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def network(db, connections_kept_open):
    """A small network around the caller, Mia, and her API token.

    Mia's account is private with a pending request from Ivy; she and Leo (public) follow each
    other, each liked and commented on the other's post, and she saved his; Noor is private and
    not followed; Mia blocks Ben and mutes Sam; Leo's like and comment notified her; a comment of
    hers was removed by moderators.
    """
    mia, leo, noor, ben, sam, ivy = (
        UserFactory(username=name, display_name=name.title())
        for name in ("mia", "leo", "noor", "ben", "sam", "ivy")
    )
    user_privacy_set(user=noor, is_private=True)

    mine = post_create(author=mia, images=[photo_upload(size=(80, 60))], caption="Mine #dusk")
    his = post_create(author=leo, images=[photo_upload(seed=1, size=(80, 60))], caption="#dusk")
    hidden = post_create(author=noor, images=[photo_upload(seed=2, size=(80, 60))])
    follow_create(follower=mia, following=leo)
    follow_create(follower=leo, following=mia)
    like_add(user=mia, post=his)
    like_add(user=leo, post=mine)
    save_add(user=mia, post=his)
    my_comment = comment_add(author=mia, post=his, text="Lovely light")
    his_comment = comment_add(author=leo, post=mine, text="Where is this?")
    block_create(blocker=mia, blocked=ben)
    mute_create(muter=mia, muted=sam)
    user_privacy_set(user=mia, is_private=True)
    request = follow_create(follower=ivy, following=mia)
    NotificationFactory(
        recipient=mia, actor=leo, kind=Notification.Kind.COMMENT, post=mine, comment=his_comment
    )
    NotificationFactory(recipient=mia, actor=leo, kind=Notification.Kind.LIKE, post=mine)
    # A comment of hers moderators removed: she may appeal it.
    removal = comment_remove(
        moderator=moderator_make(),
        comment=comment_add(author=mia, post=his, text="Buy followers"),
        reason="spam",
        category="spam",
    )

    upload = media_upload_create(owner=mia, upload=photo_upload(seed=3, size=(80, 60)))
    SEEDED.clear()
    SEEDED.update(
        post_id=[mine.pk, his.pk, hidden.pk],
        comment_id=[my_comment.pk, his_comment.pk],
        request_id=[request.pk],
        action_id=[removal.pk],
        username=["mia", "leo", "noor", "ben", "sam"],
        name=["dusk"],
        # The Mastodon client API's parameters (social/mastodon/): ids as strings.
        account_id=[str(user.pk) for user in (mia, leo, noor, ben, sam, ivy)],
        status_id=[str(mine.pk), str(his.pk), str(hidden.pk)]
        + [status_id_of_comment(c.pk) for c in (my_comment, his_comment)],
        notification_id=[str(pk) for pk in Notification.objects.values_list("pk", flat=True)],
        media_id=[str(upload.pk)],
        hashtag=["dusk"],
        list_id=["1"],
    )
    return Token.objects.create(user=mia)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_schema_says(case, network):
    case.call_and_validate(headers={"Authorization": f"Token {network.key}"}, checks=CHECKS)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        (
            "/api/v1/auth/register/",
            {"username": "grace", "email": "grace@example.com", "password": PASSWORD},
            201,
        ),
        ("/api/v1/auth/token/", {"username": "mia", "password": PASSWORD}, 200),
    ],
)
def test_successes_generated_data_cannot_reach_answer_as_the_schema_says(
    network, path, body, status
):
    # Random strings never make a free username with a valid email and a strong password.
    case = schema[path]["POST"].Case(body=body, media_type="application/json")

    response = case.call_and_validate(
        headers={"Authorization": f"Token {network.key}"}, checks=CHECKS
    )

    assert response.status_code == status
