import pytest
from django.db import IntegrityError

from accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_usernames_are_unique_regardless_of_case():
    UserFactory(username="Alice")
    with pytest.raises(IntegrityError):
        UserFactory(username="alice")
