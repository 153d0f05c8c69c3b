"""The pins agree everywhere: requirements files, the Dockerfile's base image, pyproject, the venv."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.version import Version

from conftest import TRAINER_DIR


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (TRAINER_DIR / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][^\s;]*)", line)
        assert match, f"{name}: {line!r} is not pinned with =="
        found[match[1].lower()] = match[2]
    return found


def test_every_requirement_is_pinned_once():
    files = ["requirements-torch.txt", "requirements.txt", "requirements-cuda.txt", "requirements-dev.txt"]
    seen: dict[str, str] = {}
    for name in files:
        for package in pins(name):
            assert package not in seen, f"{package} is pinned in both {seen[package]} and {name}"
            seen[package] = name
    assert set(pins("requirements-torch.txt")) == {"torch"}
    assert {"bitsandbytes", "nvidia-ml-py"} <= set(pins("requirements-cuda.txt"))
    assert {"transformers", "peft", "accelerate", "safetensors"} <= set(pins("requirements.txt"))


def test_dockerfile_base_image_carries_the_pinned_torch():
    dockerfile = (TRAINER_DIR / "Dockerfile").read_text()
    torch = pins("requirements-torch.txt")["torch"]
    bases = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.M)
    assert len(bases) == 1
    image, _, tag = bases[0].partition(":")
    assert image == "pytorch/pytorch" and tag.startswith(f"{torch}-cuda"), bases[0]
    install = re.search(r"pip install ([^\n\\]+)", dockerfile)[1]
    assert "-r requirements.txt" in install and "-r requirements-cuda.txt" in install
    assert "-c requirements-torch.txt" in install  # nothing may replace the image's torch
    for name in ("requirements-torch.txt", "requirements.txt", "requirements-cuda.txt"):
        assert re.search(rf"^COPY .*\b{re.escape(name)}\b", dockerfile, flags=re.M), name
    # Any version written into the Dockerfile itself must be the pinned one.
    all_pins = {**pins("requirements-torch.txt"), **pins("requirements.txt"), **pins("requirements-cuda.txt")}
    for package, version in re.findall(r"([A-Za-z0-9_.\-]+)==([0-9][\w.+]*)", dockerfile):
        assert all_pins.get(package.lower()) == version, f"Dockerfile pins {package}=={version}"
    assert re.search(r"^USER\s+(?!root)\w+", dockerfile, flags=re.M)
    assert 'ENTRYPOINT ["python", "-m", "brightrun_trainer", "run"]' in dockerfile


def test_pyproject_ranges_admit_the_pins():
    project = tomllib.loads((TRAINER_DIR / "pyproject.toml").read_text())["project"]
    all_pins = {**pins("requirements-torch.txt"), **pins("requirements.txt")}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        pinned = all_pins.get(requirement.name.lower())
        assert pinned, f"pyproject depends on {requirement.name}, which no requirements file pins"
        assert requirement.specifier.contains(pinned), f"{line} excludes the pinned {pinned}"


def test_the_venv_has_what_is_pinned():
    for name in ("requirements-torch.txt", "requirements.txt", "requirements-dev.txt"):
        for package, version in pins(name).items():
            installed = Version(metadata.version(package))
            assert installed.public == Version(version).public, f"{package}: {installed} installed, {version} pinned"
