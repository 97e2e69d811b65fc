"""Killing gunicorn workers under load loses no write that was answered with success."""

import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import requests

WRITERS = 4
SECONDS = 8


def gunicorn_workers(stack_env):
    """gunicorn's worker pids (the master's children); the master's pid file is in the
    stack's state folder, beside the media folder."""
    state = Path(stack_env["DJANGO_MEDIA_ROOT"]).parent
    master = int((state / "run" / "gunicorn.pid").read_text())
    children = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split()
    return sorted(int(pid) for pid in children)


def test_sigkilled_workers_lose_no_acknowledged_write(stack_env, site, sql, api_token):
    post_id = sql(
        """SELECT p.id FROM posts_post p JOIN accounts_user u ON u.id = p.author_id
           WHERE NOT u.is_private AND u.is_active AND u.suspended_at IS NULL
             AND p.removed_at IS NULL ORDER BY p.id LIMIT 1"""
    )[0][0]
    headers = {"Authorization": f"Token {api_token('alice')}"}
    run = uuid.uuid4().hex[:10]
    acknowledged, failed, lock = [], [], threading.Lock()
    stop = threading.Event()

    def write(writer):
        session = requests.Session()
        n = 0
        while not stop.is_set():
            n += 1
            text = f"resilience {run} {writer}-{n}"
            try:
                response = session.post(
                    f"{site}/api/v1/posts/{post_id}/comments/",
                    json={"text": text},
                    headers=headers,
                    timeout=30,
                )
                outcome = (response.status_code, text)
            except requests.RequestException as error:
                outcome = (type(error).__name__, text)
            with lock:
                (acknowledged if outcome[0] in (200, 201) else failed).append(outcome)

    workers_before = gunicorn_workers(stack_env)
    assert len(workers_before) >= 2, "run the stack with WEB_CONCURRENCY >= 2"
    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    killed = []
    try:
        for pid in workers_before[:2]:
            time.sleep(SECONDS / 3)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(SECONDS / 3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    stored = {
        text
        for (text,) in sql(
            "SELECT text FROM posts_comment WHERE post_id = %s AND text LIKE %s",
            [post_id, f"resilience {run} %"],
        )
    }
    acknowledged_texts = {text for _, text in acknowledged}
    assert len(acknowledged_texts) >= 10, (acknowledged, failed)
    assert acknowledged_texts - stored == set(), "answered 2xx but not in the database"
    # Writes that failed (502 while a worker died) may or may not have been stored; nothing
    # else was stored.
    assert stored <= acknowledged_texts | {text for _, text in failed}
    # gunicorn's master replaced the killed workers, and the site answers.
    workers_after = gunicorn_workers(stack_env)
    assert set(killed).isdisjoint(workers_after)
    assert len(workers_after) == len(workers_before)
    assert requests.get(f"{site}/healthz", timeout=30).status_code == 200
