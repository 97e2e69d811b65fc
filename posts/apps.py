from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self):
        # Lets Pillow decode HEIC/HEIF uploads from phones.
        from pillow_heif import register_heif_opener

        register_heif_opener()
