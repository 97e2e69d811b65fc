import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test writes uploads to its own throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
