"""The posts app's pages and form actions, by concern: feeds, one post, engagement."""
