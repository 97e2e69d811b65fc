"""Colour contrast of the site's own stylesheet, in the light and the dark theme (WCAG 2.x AA).

The test reads static/css/app.css the way a browser would for this purpose: the custom
properties of `:root`, the dark theme's overrides inside `@media (prefers-color-scheme: dark)`,
and every rule that sets both a text colour and a solid background. Each such pair, and each
pair of text and surface colours the pages put together, must reach 4.5:1 (normal-size text).
"""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
AA = 4.5

# Text colours on the surfaces they are drawn on, as the templates combine them.
TEXT_ON_SURFACE = [
    ("--text", "--bg"),
    ("--text", "--surface-2"),
    ("--text", "--elevated"),
    ("--text-2", "--bg"),
    ("--text-2", "--surface-2"),
    ("--text-2", "--elevated"),
    ("--link", "--bg"),
    ("--accent", "--bg"),
    ("--accent", "--elevated"),
    ("--danger", "--bg"),
    ("--danger", "--danger-soft"),
    ("--success", "--bg"),
    ("--success", "--success-soft"),
    ("--text", "--accent-soft"),
    ("--text", "--warning-soft"),
]


def _strip_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def _blocks(css):
    """(prelude, body) of each top-level block; nested blocks stay inside their parent's body."""
    out, depth, start, prelude_start = [], 0, 0, 0
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append((css[prelude_start:start].strip(), css[start + 1 : i]))
                prelude_start = i + 1
    return out


def _declarations(body):
    decls = {}
    for part in body.split(";"):
        if ":" in part:
            name, value = part.split(":", 1)
            decls[name.strip()] = value.strip()
    return decls


def _themes():
    """{'light': {var: value}, 'dark': {...}} and the list of (selector, declarations) rules."""
    css = _strip_comments(CSS.read_text())
    light, dark, rules = {}, {}, []
    for prelude, body in _blocks(css):
        if prelude == ":root":
            light.update({k: v for k, v in _declarations(body).items() if k.startswith("--")})
        elif prelude.startswith("@media") and "prefers-color-scheme: dark" in prelude:
            for inner_prelude, inner_body in _blocks(body):
                if inner_prelude == ":root":
                    decls = _declarations(inner_body)
                    dark.update({k: v for k, v in decls.items() if k.startswith("--")})
        elif not prelude.startswith("@"):
            rules.append((prelude, _declarations(body)))
    return {"light": light, "dark": {**light, **dark}}, rules


def _resolve(value, variables):
    seen = 0
    while (match := re.fullmatch(r"var\((--[\w-]+)(?:,\s*(.+))?\)", value.strip())) and seen < 10:
        value = variables.get(match.group(1), match.group(2) or "")
        seen += 1
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    if value in ("white",):
        value = "#ffffff"
    if value in ("black",):
        value = "#000000"
    return value if re.fullmatch(r"#[0-9a-f]{6}", value) else None


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _painted_pairs(rules):
    """(selector, colour, background) for every rule that paints text on a solid background,
    including `:hover`/`:focus` rules that change only one of the two (the other comes from the
    rule without the state)."""
    by_selector = {}
    for prelude, decls in rules:
        for selector in (s.strip() for s in prelude.split(",")):
            by_selector.setdefault(selector, {}).update(decls)
    pairs = []
    for selector, decls in by_selector.items():
        base = by_selector.get(re.sub(r":(hover|focus|focus-visible|active)$", "", selector), {})
        colour = decls.get("color") or base.get("color")
        background = decls.get("background") or decls.get("background-color")
        background = background or base.get("background") or base.get("background-color")
        if colour and background and ("color" in decls or "background" in decls):
            pairs.append((selector, colour, background))
    return pairs


THEMES, RULES = _themes()


def test_the_stylesheet_s_braces_balance():
    # One unclosed rule turns every rule after it into a nested rule that matches nothing
    # (a merge once left `.post__more-comments {` open, and the two-factor styles died).
    css = _strip_comments(CSS.read_text())
    depth = 0
    for line_number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"a '}}' without its '{{' at line {line_number}"
    assert depth == 0, "a rule of app.css is never closed"


def test_the_stylesheet_parses_into_both_themes_and_painted_rules():
    # Guards the parser itself: were it to find nothing, every check below would pass vacuously.
    assert len(THEMES["light"]) > 20
    assert THEMES["dark"]["--bg"] != THEMES["light"]["--bg"]
    assert any(sel == ".btn--primary" for sel, _, _ in _painted_pairs(RULES))
    assert contrast("#ffffff", "#3d8bff") < AA  # the dark button colour the issue reported


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("text", "surface"), TEXT_ON_SURFACE)
def test_text_colours_reach_aa_on_the_surfaces_they_sit_on(theme, text, surface):
    variables = THEMES[theme]
    fg, bg = _resolve(f"var({text})", variables), _resolve(f"var({surface})", variables)
    assert fg and bg, f"{text} or {surface} is not a solid colour in the {theme} theme"
    ratio = contrast(fg, bg)
    assert ratio >= AA, f"{theme}: {text} {fg} on {surface} {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_rule_that_paints_text_on_a_background_reaches_aa(theme):
    failures = []
    checked = 0
    for selector, colour, background in _painted_pairs(RULES):
        fg = _resolve(colour, THEMES[theme])
        bg = _resolve(background, THEMES[theme])
        if fg is None or bg is None:  # gradients, transparency, images: not a solid pair
            continue
        checked += 1
        ratio = contrast(fg, bg)
        if ratio < AA:
            failures.append(f"{selector}: {fg} on {bg} is {ratio:.2f}:1")
    assert checked >= 5
    assert not failures, f"{theme} theme:\n" + "\n".join(failures)
