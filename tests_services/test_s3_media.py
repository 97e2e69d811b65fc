"""Uploads in S3-compatible object storage (SHUTTER_MEDIA_STORAGE=s3), against moto's S3
server on a loopback port: a post's files land in the bucket, a real worker process makes the
variants there, the media view sends each viewer to a link that loads (plain for public files,
presigned and expiring for private ones), and deleting the post deletes the objects."""

import json
import os
import socket
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.conf import settings as django_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from posts.models import PostImage
from posts.tests.factories import photo_upload
from social.graph.services import follow_create
from tests_services.conftest import ROOT, replica_caught_up, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]

BUCKET = "shutter-media"
JPEG_START = b"\xff\xd8\xff"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server in this process, on a port of its own; yields its address."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def storages_for(environment):
    """STORAGES as config.settings.prod builds them from `environment` (a fresh process)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.STORAGES))"
    )
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "s3-test",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """Uploads go to a fresh bucket on the moto server, in this process and in the worker
    process the test starts (it inherits the environment). Yields the bucket's boto3 client."""
    environment = {
        "SHUTTER_MEDIA_STORAGE": "s3",
        "SHUTTER_S3_ENDPOINT_URL": s3_server,
        "SHUTTER_S3_BUCKET": BUCKET,
        "SHUTTER_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Public files at the bucket's plain address, as a CDN in front of it would serve them.
        "SHUTTER_S3_PUBLIC_URL": f"{s3_server}/{BUCKET}",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    storages = storages_for(environment)
    assert storages["default"]["BACKEND"] == "core.storage.MediaS3Storage"
    settings.STORAGES = {**django_settings.STORAGES, "default": storages["default"]}
    settings.SHUTTER_S3_PUBLIC_URL = environment["SHUTTER_S3_PUBLIC_URL"]
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def cdn_may_read(client):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


def keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def api_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def redirect_target(client, name):
    response = client.get(f"/media/{name}")
    assert response.status_code == 302, (response.status_code, response.content[:200])
    return response["Location"], response["Cache-Control"]


def test_posts_files_live_in_the_bucket_and_load_from_the_links_the_view_gives(s3_media, worker):
    author, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    follow_create(follower=follower, following=author)
    response = api_client(author).post(
        reverse("api:post-create"),
        {"images": [photo_upload("harbour.jpg", seed=5, size=(1600, 1200))]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    image = PostImage.objects.get(post_id=response.json()["id"])
    assert image.image.name in keys(s3_media)
    assert not (django_settings.MEDIA_ROOT / image.image.name).exists(), "not on local disk"

    def variants_made():
        image.refresh_from_db()
        return bool(image.display.name and image.thumbnail.name)

    wait_until(variants_made, "the worker to make the variants", seconds=30)
    assert "posts.tasks" in worker.output()
    names = {image.image.name, image.display.name, image.thumbnail.name}
    assert names <= keys(s3_media)
    stored_display = s3_media.get_object(Bucket=BUCKET, Key=image.display.name)["Body"].read()
    assert stored_display.startswith(JPEG_START)

    replica_caught_up()  # the view reads the variants' names from the standby
    plain = f"{django_settings.SHUTTER_S3_PUBLIC_URL}/{image.display.name}"
    # Objects are written without a public ACL: the bucket serves nobody by itself.
    assert requests.get(plain, timeout=30).status_code == 403

    # Public post: a plain, cacheable address, the same for everyone, that loads. A CDN in
    # front of the bucket is allowed to read it; a bucket policy plays that part here.
    cdn_may_read(s3_media)
    anonymous = APIClient()
    location, cache = redirect_target(anonymous, image.display.name)
    assert location == plain
    assert cache == "public, max-age=31536000, immutable"
    fetched = requests.get(location, timeout=30)
    assert fetched.status_code == 200
    assert fetched.content == stored_display
    # Pages link the site's own /media/ address, never the bucket.
    assert image.display.url == f"/media/{image.display.name}"

    # Private account: strangers get 404, a follower a presigned link that expires.
    author.is_private = True
    author.save(update_fields=["is_private"])
    replica_caught_up()
    assert anonymous.get(f"/media/{image.display.name}").status_code == 404
    assert api_client(stranger).get(f"/media/{image.display.name}").status_code == 404
    location, cache = redirect_target(api_client(follower), image.display.name)
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(django_settings.SHUTTER_S3_URL_SECONDS)]
    assert "X-Amz-Signature" in query
    assert cache == "private, max-age=3600"
    assert requests.get(location, timeout=30).content == stored_display

    # Deleting the post deletes its objects.
    deleted = api_client(author).delete(reverse("api:post-detail", args=[image.post_id]))
    assert deleted.status_code == 204
    wait_until(lambda: not names & keys(s3_media), "the post's objects to be deleted")
