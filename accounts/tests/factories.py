import factory
from django.utils import timezone

from accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        private = factory.Trait(is_private=True)
        suspended = factory.Trait(suspended_at=factory.LazyFunction(timezone.now))

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)
