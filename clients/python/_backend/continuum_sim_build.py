"""A minimal PEP 517 / PEP 660 build backend, standard library only.

pip needs a build backend to install a folder; the usual ones (setuptools + wheel, flit_core,
hatchling) come from PyPI, which CI and many clusters cannot reach, and the pyenv Python here has
setuptools without wheel. This backend builds a pure-Python wheel from pyproject.toml's
[project] table and the packages listed in [tool.continuum-sim-build]: nothing to download.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Fixed timestamps: the same sources give the same wheel bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def _project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        data = tomllib.load(file)
    return data


def _names() -> tuple[str, str, str]:
    project = _project()["project"]
    name = project["name"]
    normal = name.replace("-", "_").lower()
    return name, normal, project["version"]


def _metadata() -> str:
    data = _project()
    project = data["project"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '')}",
        f"License: {project.get('license', {}).get('text', '')}",
    ]
    for author in project.get("authors", []):
        lines.append(f"Author: {author['name']}")
    for requirement in project.get("dependencies", []):
        lines.append(f"Requires-Dist: {requirement}")
    for extra, requirements in sorted(project.get("optional-dependencies", {}).items()):
        lines.append(f"Provides-Extra: {extra}")
        for requirement in requirements:
            lines.append(f'Requires-Dist: {requirement}; extra == "{extra}"')
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + (ROOT / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n"


def _package_files() -> list[tuple[str, bytes]]:
    files = []
    for package in _project()["tool"]["continuum-sim-build"]["packages"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                files.append((path.relative_to(ROOT).as_posix(), path.read_bytes()))
    return files


def _wheel(wheel_directory: str, contents: list[tuple[str, bytes]]) -> str:
    _, normal, version = _names()
    dist_info = f"{normal}-{version}.dist-info"
    wheel_text = "Wheel-Version: 1.0\nGenerator: continuum_sim_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = contents + [(f"{dist_info}/METADATA", _metadata().encode()), (f"{dist_info}/WHEEL", wheel_text.encode())]
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    basename = f"{normal}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, basename), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, EPOCH)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return basename


def get_requires_for_build_wheel(config_settings=None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings=None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings=None) -> list[str]:
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    return _wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    """`pip install -e`: a .pth file that puts this folder on sys.path (PEP 660)."""
    _, normal, _ = _names()
    return _wheel(wheel_directory, [(f"__editable__.{normal}.pth", f"{ROOT}\n".encode())])


def build_sdist(sdist_directory, config_settings=None) -> str:
    _, normal, version = _names()
    base = f"{normal}-{version}"
    basename = f"{base}.tar.gz"
    files = [("pyproject.toml", (ROOT / "pyproject.toml").read_bytes()), ("README.md", (ROOT / "README.md").read_bytes())]
    files += [(path.relative_to(ROOT).as_posix(), path.read_bytes()) for path in sorted((ROOT / "_backend").glob("*.py"))]
    files += _package_files()
    files.append(("PKG-INFO", _metadata().encode()))
    with tarfile.open(os.path.join(sdist_directory, basename), "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path, data in files:
            info = tarfile.TarInfo(f"{base}/{path}")
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return basename
