from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Log in with username or e-mail, case-insensitively; suspended accounts are refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        user = (
            User._default_manager.filter(Q(username__iexact=username) | Q(email__iexact=username))
            .order_by("pk")
            .first()
        )
        if user is None:
            # Run the hasher anyway so timing doesn't reveal whether the account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "suspended_at", None) is None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        # A session of an account suspended after it logged in stops working at once.
        if user is not None and user.suspended_at is not None:
            return None
        return user
