"""API endpoints of accounts: `auth` (register, tokens, my account) and `users` (other people).

Serializers here only shape the request; the rules (username format, password strength,
bio length...) live in accounts.services and come back as field errors.
"""

from accounts.api import auth, users

urlpatterns = auth.urlpatterns + users.urlpatterns
