"""Forms of the posts pages: they carry what a person typed; the services judge it.

Limits a service checks (caption and comment length, image count, size and format) are left to
the service, whose messages name the file and the limit; the forms only set `maxlength` so the
character counters and the browser know them too. Service errors come back through
core.http.form_errors_from.
"""

from django import forms
from django.conf import settings

from core.images import ACCEPTED_FORMATS_TEXT
from posts.models import Comment, Post, PostImage
from social.moderation.models import Report

CAPTION_MAX = Post._meta.get_field("caption").max_length
ALT_TEXT_MAX = PostImage._meta.get_field("alt_text").max_length
COMMENT_MAX = Comment._meta.get_field("text").max_length
REPORT_TEXT_MAX = Report._meta.get_field("text").max_length
ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


def _text(max_length, *, label, rows=None, **attrs):
    """A text field whose limit the service enforces; `maxlength` feeds the counter."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs.update({"maxlength": max_length, **attrs})
    return forms.CharField(label=label, required=False, widget=widget)


def _alt_text(number):
    return forms.CharField(
        label=f"Alt text for photo {number}",
        required=False,
        max_length=ALT_TEXT_MAX,
        error_messages={
            "max_length": (
                f"The alt text of photo {number} has %(show_value)d characters; "
                "the limit is %(limit_value)d."
            )
        },
    )


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class ImagesField(forms.Field):
    """Every file chosen in one <input type=file multiple>, as a list (maybe empty)."""

    widget = MultipleImageInput

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]

    def validate(self, value):
        # `required` marks the input for the browser and the label; how many images a post
        # needs is post_create's rule, and its message says so.
        pass


class AltTextsMixin:
    """`alt_text_1` … `alt_text_N` fields, read back as a list in image order."""

    def _add_alt_text_fields(self, count):
        for number in range(1, count + 1):
            self.fields[f"alt_text_{number}"] = _alt_text(number)

    def alt_text_fields(self):
        return [self[name] for name in self.fields if name.startswith("alt_text_")]

    def alt_texts(self, count=None):
        texts = [self.cleaned_data.get(f.name, "") for f in self.alt_text_fields()]
        return texts if count is None else texts[:count]


class PostCreateForm(AltTextsMixin, forms.Form):
    images = ImagesField(
        label="Photos",
        help_text=(
            f"Up to {settings.SHUTTER['MAX_IMAGES_PER_POST']} photos, "
            f"{settings.SHUTTER['MAX_IMAGE_BYTES'] // (1024 * 1024)} MB each: "
            f"{ACCEPTED_FORMATS_TEXT}."
        ),
    )
    caption = _text(CAPTION_MAX, label="Caption", rows=4, placeholder="Write a caption…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = settings.SHUTTER
        self.fields["images"].widget.attrs.update(
            {
                "accept": ACCEPT,
                "data-preview": True,
                "data-max-files": limits["MAX_IMAGES_PER_POST"],
                "data-max-bytes": limits["MAX_IMAGE_BYTES"],
            }
        )
        self._add_alt_text_fields(limits["MAX_IMAGES_PER_POST"])

    def clean(self):
        cleaned = super().clean()
        chosen = len(cleaned.get("images") or [])
        # Text typed for a photo that isn't there would be dropped without a word; say so.
        for number, field in enumerate(self.alt_text_fields(), start=1):
            if number > max(chosen, 1) and cleaned.get(field.name):
                self.add_error(
                    field.name,
                    f"There is no photo {number}: choose it, or clear this alt text.",
                )
        return cleaned


class PostEditForm(AltTextsMixin, forms.Form):
    caption = _text(CAPTION_MAX, label="Caption", rows=4)

    def __init__(self, *args, post, **kwargs):
        images = list(post.images.all())
        initial = {"caption": post.caption}
        initial.update({f"alt_text_{i}": image.alt_text for i, image in enumerate(images, 1)})
        super().__init__(*args, initial=initial, **kwargs)
        self.images = images
        self._add_alt_text_fields(len(images))

    def alt_text_rows(self):
        """(image, its alt-text field) pairs, in image order, for the template."""
        return list(zip(self.images, self.alt_text_fields(), strict=True))


class CommentForm(forms.Form):
    text = _text(COMMENT_MAX, label="Add a comment", rows=1)
    # Set by app.js when Reply is chosen on the post's page; the Reply page needs none.
    reply_to = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason."},
    )
    text = _text(
        REPORT_TEXT_MAX,
        label="Anything else we should know?",
        rows=3,
        placeholder="Optional details for the moderators",
    )
