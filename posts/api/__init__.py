"""The posts side of the REST API: posts, comments, likes, saves, feeds and tags."""
