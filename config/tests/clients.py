"""Clients for API tests, shared by every app's tests."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def token_client(user=None):
    """A client calling the API as `user` with their token, or signed out when `user` is None."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
