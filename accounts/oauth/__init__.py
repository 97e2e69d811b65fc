"""OAuth 2 for apps people already have (issue 14), on django-oauth-toolkit (DOT).

- scopes: the scope registry (Mastodon's scopes, which parent grants which child, plain words);
- services, selectors: registering apps, authorising them, revoking their tokens;
- authentication: the DRF class that reads `Authorization: Bearer` tokens;
- permissions: the scope each API view declares, checked for OAuth tokens only;
- validator: DOT's request validator with Shutter's rules (grant types, 2FA, created_at);
- views, urls, api: the pages and endpoints (/oauth/..., /api/v1/apps, the RFC 8414 metadata).
"""
