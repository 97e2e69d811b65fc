import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from posts.models import Comment, Hashtag, Post, PostImage


def image_upload(name="photo.jpg", size=(64, 48), color=(200, 80, 40), fmt="JPEG", exif=None):
    """An uploaded file holding a real, decodable image."""
    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buf, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "")
    return SimpleUploadedFile(name, buf.getvalue(), content_type=content_type)


class PostFactory(factory.django.DjangoModelFactory):
    """A raw Post row with one image; counters and hashtags are not maintained here."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    caption = factory.Faker("sentence")

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        if not create:
            return
        for position in range(extracted if isinstance(extracted, int) else 1):
            PostImage.objects.create(
                post=self, position=position, image=image_upload(f"p{self.pk}-{position}.jpg")
            )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")


class HashtagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hashtag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")
