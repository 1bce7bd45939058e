"""Colour (issue 13): text at 4.5:1 against its background at least, chart marks at 3:1, and the
women/men and parity-status colours apart for the three colour-vision deficiencies.

Contrast is WCAG 2.2's ratio of relative luminances. Deficiencies are simulated with Machado,
Oliveira and Fernandes (2009) at full severity (dichromacy) on linear RGB, and colours compared
by their CIE76 distance in CIELAB (D65): about 2 is the least a viewer notices side by side; the
pairs are required to stay 15 apart (protanopia, deuteranopia; tritanopia is the closest call,
blue against green, 17)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from parity.charts import base

CSS = re.sub(
    r"/\*.*?\*/",
    "",
    (Path(__file__).resolve().parent.parent / "assets" / "parity.css").read_text(),
    flags=re.S,
)
WHITE = "#ffffff"
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip


def linear(colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def contrast(a: str, b: str) -> float:
    light, dark = sorted(float(linear(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b))[::-1]
    return (light + 0.05) / (dark + 0.05)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = xyz @ np.clip(rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(x > 216 / 24389, np.cbrt(x), (24389 / 27 * x + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str, deficiency: str | None = None) -> float:
    seen = [linear(a), linear(b)]
    if deficiency:
        seen = [np.array(MACHADO[deficiency]) @ c for c in seen]
    return float(np.linalg.norm(lab(seen[0]) - lab(seen[1])))


def css_colour(selector: str, prop: str = "color") -> str:
    """The value of ``prop`` in the first rule of assets/parity.css naming ``selector``."""
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        if selector in [s.strip() for s in selectors.split(",")]:
            found = re.search(rf"(?:^|;|\s){re.escape(prop)}\s*:\s*([^;]+)", body)
            if found:
                value = found.group(1).strip()
                variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
                if variable:
                    value = re.search(rf"{variable.group(1)}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)  # type: ignore[union-attr]
                return value
    raise AssertionError(f"no {prop} for {selector} in parity.css")


def test_the_checks_themselves() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)  # WCAG's known example
    assert distance("#ff0000", "#ff0000", "protanopia") == 0
    # red and green, the classic confusion, nearly meet for deuteranopes but not for others
    assert distance("#cc3311", "#33aa33", "deuteranopia") < distance("#cc3311", "#33aa33") / 2


TEXT = [  # (what, text colour, background)
    ("body text", css_colour("body"), css_colour("body", "background")),
    ("page lead", css_colour(".page-lead"), css_colour("body", "background")),
    ("footer", css_colour(".app-footer"), css_colour("body", "background")),
    ("card notes", css_colour(".stat-note"), WHITE),
    ("at parity", css_colour(".status.parity"), WHITE),
    ("women under-represented", css_colour(".status.women_under"), WHITE),
    ("men under-represented", css_colour(".status.men_under"), WHITE),
    ("navigation", css_colour(".main-nav .nav-link"), css_colour(".app-header", "background")),
    ("chart caption", css_colour(".chart-alt"), WHITE),
    ("Show as table", css_colour(".chart-table-toggle > summary"), WHITE),
    ("help link", css_colour(".help-link"), WHITE),
    ("withheld row", css_colour(".parity-grid .withheld-row"), WHITE),
    ("chart text", base.INK, WHITE),
    ("chart notes", base.MUTED, WHITE),
]


@pytest.mark.parametrize(("what", "text", "background"), TEXT, ids=[t[0] for t in TEXT])
def test_text_contrast(what: str, text: str, background: str) -> None:
    assert contrast(text, background) >= 4.5, what


@pytest.mark.parametrize("mark", ["WOMEN", "MEN", "PARITY", "OTHER", "WITHHELD"], ids=str.lower)
def test_chart_marks_stand_out_from_the_plot(mark: str) -> None:
    assert contrast(getattr(base, mark), WHITE) >= 3.0


@pytest.mark.parametrize("deficiency", [None, *MACHADO])
def test_women_men_and_statuses_stay_apart(deficiency: str | None) -> None:
    pairs = [(base.WOMEN, base.MEN), (base.WOMEN, base.PARITY), (base.MEN, base.PARITY)]
    assert min(distance(a, b, deficiency) for a, b in pairs) >= 15
