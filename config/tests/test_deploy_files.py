"""The deployment files agree with the code: docker-compose.yml, docker/, deploy/, scripts/.

No Docker engine runs here, so these read the files and check what they promise against what
the settings read; scripts/services is checked as far as it can be without starting anything.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
SERVICES_SCRIPT = ROOT / "scripts" / "services"
STACK_SCRIPT = ROOT / "scripts" / "stack"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "shutter.conf.template"
NGINX_PROXY = ROOT / "deploy" / "nginx" / "shutter-proxy.conf"
PGBOUNCER_POOLING = ROOT / "deploy" / "pgbouncer" / "pgbouncer.ini"
DJANGO_SERVICES = ("web", "worker", "beat")
# Read by Django itself (and config/wsgi.py, celery_app.py), not through config.env.
DJANGO_OWN_VARIABLES = {"DJANGO_SETTINGS_MODULE"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def variables_the_settings_read():
    """Every NAME in env("NAME") / env_bool / env_int / env_list under config/."""
    sources = [ROOT / "config" / "env.py", *sorted((ROOT / "config" / "settings").glob("*.py"))]
    pattern = re.compile(r"\benv(?:_bool|_int|_list)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
    return {name for path in sources for name in pattern.findall(path.read_text())}


def command_line(service):
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def interpolate(value, given):
    """Expand compose's ${NAME}, ${NAME:-default} and ${NAME:?error} against `given`."""

    def expand(match):
        name, operator, rest = match.group(1), match.group(2), match.group(3) or ""
        if given.get(name):
            return given[name]
        if operator == ":?":
            raise LookupError(f"compose requires {name}: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", expand, str(value))


def test_compose_runs_exactly_the_deployment_services(services):
    assert set(services) == {
        "postgres",
        "postgres-replica",
        "redis",
        "pgbouncer",
        "nginx",
        *DJANGO_SERVICES,
    }


def test_web_migrates_before_gunicorn_starts(services):
    command = command_line(services["web"])
    migrate = command.index("python manage.py migrate --noinput")
    gunicorn = command.index("gunicorn config.wsgi:application --bind 0.0.0.0:8000")
    assert migrate < gunicorn
    # `&&`, not `;`: a failed migration must not leave gunicorn serving an old schema.
    assert "&&" in command[migrate:gunicorn]


@pytest.mark.parametrize("service, role", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_run_the_config_app(services, service, role):
    assert command_line(services[service]).startswith(f"celery -A config {role} -l info")


def test_web_passes_only_variables_the_settings_read(services):
    known = variables_the_settings_read() | DJANGO_OWN_VARIABLES
    passed = set(services["web"]["environment"])
    assert passed - known == set(), "compose sets variables no setting reads (a typo?)"


def test_web_sets_what_production_settings_require(services):
    environment = services["web"]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        assert environment.get(name), f"{name} is required by config.settings.prod"
    for name in ("DATABASE_URL", "REPLICA_DATABASE_URL", "REDIS_URL", "DJANGO_MEDIA_ROOT"):
        assert environment.get(name)


def test_web_worker_and_beat_share_one_configuration(services):
    web = services["web"]
    for name in ("worker", "beat"):
        assert services[name]["environment"] == web["environment"]
        assert services[name]["build"] == web["build"]


def test_compose_refuses_to_start_without_a_secret_key(services):
    with pytest.raises(LookupError, match="DJANGO_SECRET_KEY"):
        interpolate(services["web"]["environment"]["DJANGO_SECRET_KEY"], given={})


def test_production_settings_load_with_the_compose_environment(services):
    environment = {
        name: interpolate(value, given={"DJANGO_SECRET_KEY": "a-secret-from-dot-env"})
        for name, value in services["web"]["environment"].items()
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['HOST'], "
        "s.DATABASES['replica']['HOST'], s.CELERY_TASK_ALWAYS_EAGER, str(s.MEDIA_ROOT), "
        "s.SHUTTER_TRUSTED_PROXIES]))"
    )
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**keep, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [
        False,
        ["localhost", "127.0.0.1"],
        "pgbouncer",
        "pgbouncer",
        False,
        environment["DJANGO_MEDIA_ROOT"],
        ["172.28.0.10"],  # nginx's fixed address: the one proxy whose X-Forwarded-For counts
    ]


def mounts(service):
    """{path in the container: volume name or ./path on the host}."""
    return {volume.split(":")[1]: volume.split(":")[0] for volume in service.get("volumes", [])}


def test_uploads_live_on_a_volume_shared_by_web_and_worker(services, compose):
    media_root = services["web"]["environment"]["DJANGO_MEDIA_ROOT"]
    volume = mounts(services["web"]).get(media_root)
    assert volume in compose["volumes"]
    # The worker makes the image variants, so it must see the same files.
    assert mounts(services["worker"]).get(media_root) == volume


@pytest.mark.parametrize("name", ["postgres", "postgres-replica", "redis", "pgbouncer", "web"])
def test_services_others_wait_on_have_healthchecks(services, name):
    assert services[name]["healthcheck"]["test"]


def test_django_services_wait_for_healthy_databases_and_redis(services):
    for name in DJANGO_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("postgres", "postgres-replica", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_databases_and_redis_keep_their_data_on_volumes(services, compose):
    for name in ("postgres", "postgres-replica", "redis"):
        assert set(mounts(services[name]).values()) & set(compose["volumes"]), name


def mounted_script(service, target_suffix):
    for target, source in mounts(service).items():
        if source.startswith("./") and target.endswith(target_suffix):
            return ROOT / source
    raise AssertionError(f"no script mounted at *{target_suffix}")


def test_primary_init_script_creates_the_replication_role_and_allows_it(services):
    script = mounted_script(services["postgres"], ".sh").read_text()
    assert "WITH REPLICATION" in script
    assert re.search(r"host\s+replication\s", script)


def test_replica_entrypoint_copies_the_primary_with_pg_basebackup_r(services):
    replica = services["postgres-replica"]
    entrypoint = replica["entrypoint"]
    target = entrypoint[-1] if isinstance(entrypoint, list) else entrypoint.split()[-1]
    script = mounted_script(replica, target).read_text().replace("\\\n", " ")
    commands = [shlex.split(line, comments=True) for line in script.splitlines()]
    basebackup = next(words for words in commands if "pg_basebackup" in words)
    assert {"-R", "--write-recovery-conf"} & set(basebackup)
    # Then the image's own entry point starts postgres, now configured as a standby.
    assert "exec docker-entrypoint.sh" in script


def test_dockerfile_base_image_has_the_python_django_needs():
    base = re.search(r"^FROM\s+python:(\d+)\.(\d+)", DOCKERFILE.read_text(), re.MULTILINE)
    assert base, "the Dockerfile should start FROM an official python image"
    assert (int(base[1]), int(base[2])) >= (3, 12)


def test_dockerfile_installs_requirements_and_collects_static():
    dockerfile = DOCKERFILE.read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile


def run_services_script(*args, **env):
    return subprocess.run(
        [str(SERVICES_SCRIPT), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_services_script_is_executable_and_documents_its_commands():
    assert os.access(SERVICES_SCRIPT, os.X_OK)
    result = run_services_script("--help")
    assert result.returncode == 0
    for command in ("up", "down", "status", "env", "--replica-delay"):
        assert re.search(rf"^\s+{re.escape(command)}\b", result.stdout, re.MULTILINE), command


def test_services_env_prints_urls_on_the_ports_asked_for():
    result = run_services_script(
        "env", SHUTTER_PG_PORT="15432", SHUTTER_REPLICA_PORT="15433", SHUTTER_REDIS_PORT="16379"
    )
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "DATABASE_URL=postgres://shutter@127.0.0.1:15432/shutter",
        "REPLICA_DATABASE_URL=postgres://shutter@127.0.0.1:15433/shutter",
        "REDIS_URL=redis://127.0.0.1:16379/0",
    ]


def test_services_names_the_debian_package_when_postgresql_is_missing(tmp_path):
    result = run_services_script(
        "up", SHUTTER_PG_BIN=str(tmp_path / "nowhere"), SHUTTER_SERVICES_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "apt-get install postgresql" in result.stderr
    assert list(tmp_path.iterdir()) == [], "it should stop before creating anything"


# --- nginx and PgBouncer: the same files for docker-compose.yml and scripts/stack -----------------


def test_only_nginx_publishes_a_port(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert services["nginx"]["ports"] == ["${SHUTTER_WEB_PORT:-8000}:80"]


def test_compose_and_the_stack_run_nginx_on_the_same_site_files(services):
    nginx = mounts(services["nginx"])
    assert (
        nginx["/etc/nginx/templates/default.conf.template"]
        == "./deploy/nginx/shutter.conf.template"
    )
    assert nginx["/etc/nginx/shutter-proxy.conf"] == "./deploy/nginx/shutter-proxy.conf"
    stack = STACK_SCRIPT.read_text()
    assert '"$ROOT/deploy/nginx/shutter.conf.template"' in stack
    assert 'SHUTTER_NGINX_CONF_DIR="$ROOT/deploy/nginx"' in stack


def test_compose_gives_nginx_every_variable_of_its_template(services):
    environment = services["nginx"]["environment"]
    used = set(re.findall(r"\$\{([A-Z_]+)\}", NGINX_TEMPLATE.read_text()))
    assert used == {name for name in environment if name.startswith("SHUTTER_")}
    # The image's entry point substitutes only these; nginx's own $variables stay.
    assert all(re.match(environment["NGINX_ENVSUBST_FILTER"], name) for name in used)
    assert environment["SHUTTER_NGINX_CONF_DIR"] + "/shutter-proxy.conf" in mounts(
        services["nginx"]
    )


def test_nginx_serves_the_volumes_django_writes(services):
    web, nginx = services["web"]["environment"], services["nginx"]["environment"]
    nginx_mounts, web_mounts = mounts(services["nginx"]), mounts(services["web"])
    for django_name, nginx_name in [
        ("DJANGO_MEDIA_ROOT", "SHUTTER_MEDIA_ROOT"),
        ("DJANGO_STATIC_ROOT", "SHUTTER_STATIC_ROOT"),
    ]:
        assert web[django_name] == nginx[nginx_name]
        assert nginx_mounts[nginx[nginx_name]] == web_mounts[web[django_name]]
    assert nginx["SHUTTER_APP_SERVER"] == "web:8000"
    assert "collectstatic --noinput" in command_line(services["web"])


def nginx_directives(text):
    return [line.strip().rstrip(";") for line in text.splitlines() if line.strip()[:1] != "#"]


def test_nginx_hands_private_media_to_an_internal_location_the_view_names(services):
    template = NGINX_TEMPLATE.read_text()
    internal = re.search(r"location /_protected_media/ \{(.*?)\n\s*\}", template, re.DOTALL)
    assert internal and "internal;" in internal[1]
    assert "alias ${SHUTTER_MEDIA_ROOT}/;" in internal[1]
    prefix = services["web"]["environment"]["SHUTTER_MEDIA_ACCEL_PREFIX"]
    assert prefix == "/_protected_media/"
    assert "SHUTTER_MEDIA_ACCEL_PREFIX=/_protected_media/" in STACK_SCRIPT.read_text()
    # /media/ itself is never read from disk by nginx: the view decides first.
    media = re.search(r"location /media/ \{(.*?)\n\s*\}", template, re.DOTALL)
    assert "proxy_pass http://shutter_app" in media[1]
    assert "alias" not in media[1] and "root" not in media[1]


def test_nginx_takes_the_largest_post_and_waits_as_long_as_gunicorn():
    limits = settings.SHUTTER
    largest_post = limits["MAX_IMAGES_PER_POST"] * limits["MAX_IMAGE_BYTES"]
    size = re.search(r"client_max_body_size (\d+)m;", NGINX_TEMPLATE.read_text())
    assert int(size[1]) * 1024 * 1024 > largest_post
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", NGINX_PROXY.read_text())
    assert f"--timeout {read_timeout[1]}" in STACK_SCRIPT.read_text()
    assert f"--timeout {read_timeout[1]}" in command_line(
        yaml.safe_load(COMPOSE.read_text())["services"]["web"]
    )


def test_nginx_overwrites_the_forwarded_for_a_client_sends():
    directives = nginx_directives(NGINX_PROXY.read_text())
    assert "proxy_set_header X-Forwarded-For $remote_addr" in directives
    assert not any("proxy_add_x_forwarded_for" in line for line in directives)


def test_the_app_trusts_forwarded_for_only_from_nginxs_own_address(services):
    address = services["nginx"]["networks"]["default"]["ipv4_address"]
    assert services["web"]["environment"]["SHUTTER_TRUSTED_PROXIES"] == address
    # Nothing else can reach gunicorn directly: web publishes no port (test above).


def ini(text):
    """{section: {key: value}} of a PgBouncer ini (keys before any section under None),
    `%include` lines under "%include"."""
    sections = {"%include": {}, None: {}}
    current = sections[None]
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        if line.startswith("%include"):
            sections["%include"][line.split(None, 1)[1]] = True
        elif line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


def test_compose_and_the_stack_pool_with_the_same_pgbouncer_settings(services):
    pgbouncer = mounts(services["pgbouncer"])
    main = ini((ROOT / pgbouncer["/etc/pgbouncer/pgbouncer.ini"]).read_text())
    included = next(iter(main["%include"]))
    assert pgbouncer[included] == "./deploy/pgbouncer/pgbouncer.ini"
    assert "%include $ROOT/deploy/pgbouncer/pgbouncer.ini" in STACK_SCRIPT.read_text()
    pooling = ini(PGBOUNCER_POOLING.read_text())[None]
    assert pooling["pool_mode"] == "transaction"
    # psycopg2 sends it at connect; PgBouncer would refuse the connection otherwise.
    assert "extra_float_digits" in pooling["ignore_startup_parameters"]


def test_the_app_reaches_both_databases_through_pgbouncer(services):
    environment = services["web"]["environment"]
    main = ini((ROOT / "docker" / "pgbouncer" / "pgbouncer.ini").read_text())
    port = main["pgbouncer"]["listen_port"]
    databases = main["databases"]
    for variable, host in [
        ("DATABASE_URL", "postgres"),
        ("REPLICA_DATABASE_URL", "postgres-replica"),
    ]:
        url = interpolate(environment[variable], given={})
        name = url.rsplit("/", 1)[1]
        assert f"@pgbouncer:{port}/{name}" in url
        assert f"host={host} " in databases[name]
    assert environment["DATABASE_TRANSACTION_POOLING"] == "true"


def test_transaction_pooling_turns_off_server_side_cursors():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([d.get('DISABLE_SERVER_SIDE_CURSORS', False) "
        "for d in s.DATABASES.values()]))"
    )
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": "postgres://shutter@pgbouncer:6432/shutter",
        "REPLICA_DATABASE_URL": "postgres://shutter@pgbouncer:6432/shutter_replica",
    }
    for pooling, expected in [("true", [True, True]), ("", [False, False])]:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**base, "DATABASE_TRANSACTION_POOLING": pooling},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.splitlines()[-1]) == expected


def test_stack_script_documents_its_commands():
    result = subprocess.run(
        [str(STACK_SCRIPT), "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    for command in ("up", "down", "status", "env"):
        assert re.search(rf"^\s+{command}\b", result.stdout, re.MULTILINE), command
