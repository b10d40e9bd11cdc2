"""The environment is described once in two formats: requirements.txt and environment.yml agree."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pins(lines):
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_requirements_pin_exact_versions():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    assert lines and all("==" in ln for ln in lines), "every requirement must be pinned with =="


def test_environment_yml_matches_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_deps = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    req = pins((ROOT / "requirements.txt").read_text().splitlines())
    yml = pins(pip_deps)
    assert yml == req, (
        f"only in requirements.txt: {sorted(set(req.items()) - set(yml.items()))}; "
        f"only in environment.yml: {sorted(set(yml.items()) - set(req.items()))}"
    )
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python=3.11"]


def test_makefile_offers_the_documented_commands():
    text = (ROOT / "Makefile").read_text()
    for target in ("all", "test", "lab", "notebooks"):
        assert re.search(rf"^{target}:", text, re.M), target
