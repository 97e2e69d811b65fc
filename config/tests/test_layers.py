"""The layer contract covers the whole code base: a module no layer names would escape it."""

import configparser
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Django's own rooms: the app registry and migrations, never imported by our code.
OUTSIDE_THE_LAYERS = ("tests", "migrations", "apps")


def _layer_modules():
    contract = configparser.ConfigParser()
    contract.read(ROOT / ".importlinter")
    layers = contract["importlinter:contract:layers"]["layers"]
    return {
        name.strip() for line in layers.splitlines() for name in line.split(":") if name.strip()
    }


def _our_modules():
    for package in ("accounts", "posts", "social"):
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            parts = module.name.split(".")
            if not module.ispkg and not set(parts[1:]) & set(OUTSIDE_THE_LAYERS):
                yield module.name


@pytest.mark.parametrize("module", sorted(_our_modules()))
def test_every_module_of_the_apps_sits_in_a_layer(module):
    layers = _layer_modules()
    parts = module.split(".")
    prefixes = {".".join(parts[:n]) for n in range(1, len(parts) + 1)}

    assert prefixes & layers, f"{module} is in no layer of .importlinter: place it there"


def test_the_walk_finds_the_modules_it_checks():
    found = set(_our_modules())

    assert {"posts.services.posts", "social.graph.services", "accounts.models"} <= found
