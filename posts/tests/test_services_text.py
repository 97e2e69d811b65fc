"""Finding #hashtags and @mentions in captions and comments."""

import pytest

from posts.services.text import hashtags_in, mentions_in


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Golden hour #Sunset #sunset #SUNSET", ["sunset"]),
        ("#beach,#sea. #sky!", ["beach", "sea", "sky"]),
        ("Café #Café #naïve #東京", ["café", "naïve", "東京"]),
        ("#snake_case and #2024trip", ["snake_case", "2024trip"]),
        ("#1 fan, #42", []),  # numbers are not topics
        ("see example.com/#anchor and a#b and &#39;", []),
        ("#" + "a" * 101, []),  # longer than a hashtag can be
        ("", []),
        (None, []),
    ],
)
def test_hashtags_in_finds_distinct_lower_cased_tags(text, tags):
    assert hashtags_in(text) == tags


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("thanks @Alice and @bob!", ["Alice", "bob"]),
        ("@alice @alice", ["alice"]),
        ("cc @jane.doe.", ["jane.doe"]),
        ("(@Zoë)", ["Zoë"]),
        ("write to me@example.com", []),
        ("just an @ sign", []),
    ],
)
def test_mentions_in_finds_usernames_as_written(text, names):
    assert mentions_in(text) == names
