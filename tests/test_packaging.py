"""The Dockerfile's install and start commands work in a fresh virtual environment,
and hadolint finds nothing in it (no Docker engine runs here, so the image is proven
piece by piece)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.serving import free_port, serving

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()

pytestmark = pytest.mark.slow


def test_hadolint_finds_nothing() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), str(ROOT / "Dockerfile")], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _exec_form(instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}(?:[^\n]*\\\n)*[^\n]*?(\[.*\])\s*$", DOCKERFILE, re.M)
    assert match, f"{instruction} must use the exec form"
    command: list[str] = json.loads(match.group(1))
    return command


def _build_context(target: Path) -> Path:
    """The project's files as `COPY . .` sees them in a clean clone: tracked files only, so
    a stale `build/` left by an earlier install (a renamed migration, say) is not in it."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_image_commands_install_and_start_in_a_fresh_virtualenv(tmp_path: Path) -> None:
    context = _build_context(tmp_path / "context")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / "bin"
    install = re.search(r"^RUN /opt/asibot/bin/(pip install .*)$", DOCKERFILE, re.M)
    assert install, "the build stage installs with the venv's pip"
    args = install.group(1).split()
    subprocess.run([str(bindir / args[0]), *args[1:-1], str(context)], check=True,
                   capture_output=True, timeout=900)
    cmd = _exec_form("CMD")
    assert cmd[:2] == ["sh", "-c"]
    port = free_port()
    script = cmd[2].replace("--port 8000", f"--port {port}").replace("0.0.0.0", "127.0.0.1")
    env = {"PATH": f"{bindir}:{os.environ['PATH']}", "SCHEDULER_ENABLED": "false",
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/asibot.db"}
    with serving(["sh", "-c", script], env, tmp_path, port) as base:
        probe = _exec_form("HEALTHCHECK").copy()
        probe[-1] = probe[-1].replace("8000", str(port))
        checked = subprocess.run([str(bindir / "python"), *probe[1:]], capture_output=True,
                                 timeout=30)
        assert checked.returncode == 0, checked.stderr
        assert base.endswith(str(port))


def test_compose_runs_web_and_worker_on_postgresql_without_the_simulator() -> None:
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert environment["SIMULATOR_ENABLED"] == "false", "anyone could chat as anyone"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["web"]["environment"]["SCHEDULER_ENABLED"] == "false"
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "asibot worker" in " ".join(services["worker"]["command"])
    # a worker serves no HTTP: the image's /healthz check would call it unhealthy forever
    assert services["worker"]["healthcheck"] == {"disable": True}
