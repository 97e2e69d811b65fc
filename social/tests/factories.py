import factory

from accounts.tests.factories import UserFactory
from social.graph.models import Block, Follow, Mute
from social.moderation.models import Report
from social.notifications.models import Notification


class FollowFactory(factory.django.DjangoModelFactory):
    """A raw Follow row; tests of behaviour go through social.graph.services instead."""

    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    following = factory.SubFactory(UserFactory)
    status = Follow.Status.ACCEPTED


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class MuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mute

    muter = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    kind = Notification.Kind.FOLLOW


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    user = factory.SubFactory(UserFactory)
    reason = Report.Reason.SPAM
