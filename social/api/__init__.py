"""The social endpoints: serializers, views and their URLs (included from config/api.py)."""
