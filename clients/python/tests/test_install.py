"""`pip install ./clients/python` works offline: the build backend is in the folder (_backend/),
standard library only, so pip fetches nothing, with or without build isolation."""

import email
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
HAS_PIP = importlib.util.find_spec("pip") is not None


def pyproject():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as file:
        return tomllib.load(file)


@unittest.skipUnless(HAS_PIP, "pip is not installed for this Python")
class InstallTest(unittest.TestCase):
    def pip_install(self, *options):
        target = tempfile.mkdtemp(prefix="pip-target-")
        self.addCleanup(shutil.rmtree, target, True)
        # --no-index: a package index is never consulted, as where PyPI is unreachable.
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--quiet", *options, "--target", target, ROOT],
            capture_output=True,
            text=True,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return target

    def imported_from(self, target):
        code = "import continuum_sim_policy, continuum_sim_policy.router; print(continuum_sim_policy.__file__)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tempfile.gettempdir(), env={**os.environ, "PYTHONPATH": target})
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def test_installs_with_build_isolation_and_imports(self):
        target = self.pip_install()
        self.assertTrue(self.imported_from(target).startswith(target))
        for name in ("__init__.py", "router.py", "gym_env.py", "_relay.py"):
            self.assertTrue(os.path.exists(os.path.join(target, "continuum_sim_policy", name)), name)

    def test_installs_without_build_isolation(self):
        target = self.pip_install("--no-build-isolation")
        self.assertTrue(self.imported_from(target).startswith(target))

    def test_metadata_no_required_dependency_and_a_gymnasium_extra(self):
        target = self.pip_install()
        version = pyproject()["project"]["version"]
        with open(os.path.join(target, f"continuum_sim_policy-{version}.dist-info", "METADATA"), encoding="utf-8") as file:
            metadata = email.message_from_string(file.read())
        self.assertEqual(metadata["Name"], "continuum-sim-policy")
        self.assertEqual(metadata["Version"], version)
        self.assertEqual(metadata.get_all("Provides-Extra"), ["gymnasium"])
        requirements = metadata.get_all("Requires-Dist")
        self.assertTrue(requirements and all('extra == "gymnasium"' in requirement for requirement in requirements), requirements)


class BackendTest(unittest.TestCase):
    def test_the_wheel_is_the_same_bytes_every_time_and_lists_every_file(self):
        sys.path.insert(0, os.path.join(ROOT, "_backend"))
        try:
            import continuum_sim_build as backend
        finally:
            sys.path.pop(0)
        digests = []
        for _ in range(2):
            folder = tempfile.mkdtemp()
            self.addCleanup(shutil.rmtree, folder, True)
            name = backend.build_wheel(folder)
            with open(os.path.join(folder, name), "rb") as file:
                digests.append(hashlib.sha256(file.read()).hexdigest())
        self.assertEqual(digests[0], digests[1])
        with zipfile.ZipFile(os.path.join(folder, name)) as wheel:
            names = wheel.namelist()
            record = wheel.read([n for n in names if n.endswith("/RECORD")][0]).decode()
        self.assertEqual(sorted(line.split(",")[0] for line in record.strip().split("\n")), sorted(names))


if __name__ == "__main__":
    unittest.main()
