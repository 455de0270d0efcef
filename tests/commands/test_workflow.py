"""The CI workflow `cmhub init` writes (#14.2, #14.3, #14.4): its install line, run for real in fresh
virtual environments (offline, from a local Git repository and a local wheel), its cron, its steps."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cmhub import __version__
from cmhub.cli.verbs import main
from cmhub.commands.provenance import line_from
from cmhub.commands.workflow import workflow
from cmhub.settings.config import load_config

SOURCE = Path(__file__).resolve().parents[2]
ACTIONS = {"actions/checkout": "v6", "actions/setup-python": "v6", "actions/cache": "v5",
           "actions/upload-artifact": "v7", "actions/upload-pages-artifact": "v5", "actions/deploy-pages": "v5"}
"""The current major versions (looked up in December 2026: see the report of this change)."""


def init_hub(folder: Path, cmhub: list[str] | None = None) -> Path:
    if cmhub is None:
        result = CliRunner().invoke(main, ["init", str(folder), "--now", "2026-12-04T10:00:00Z"])
        assert result.exit_code == 0, result.output
    else:
        subprocess.run([*cmhub, "init", str(folder), "--now", "2026-12-04T10:00:00Z"], check=True,
                       capture_output=True)
    return folder


def load_workflow(project: Path) -> dict:
    return yaml.safe_load((project / ".github" / "workflows" / "cmhub.yml").read_text(encoding="utf-8"))


def install_command(document: dict) -> str:
    steps = document["jobs"]["build"]["steps"]
    return next(s["run"] for s in steps if s.get("name", "").startswith("Install cmhub"))


def test_the_workflow_cron_is_site_yml_builds_cron(tmp_path: Path) -> None:
    project = init_hub(tmp_path / "hub")
    document = load_workflow(project)
    assert [item["cron"] for item in document[True]["schedule"]] == [load_config(project).builds.cron.text]
    assert load_config(project).builds.cron.text == "17 * * * *"
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--now", "2026-12-04T10:00:00Z"])
    # a fresh hub still holds init's placeholders (warned about); nothing about its workflow or cron
    assert result.exit_code == 0
    assert "warning" in result.stderr and not [line for line in result.stderr.splitlines()
                                               if "cmhub.yml" in line or "cron" in line]


def test_the_workflow_builds_deploys_and_commits_the_ledgers_one_run_at_a_time(tmp_path: Path) -> None:
    document = load_workflow(init_hub(tmp_path / "hub"))
    assert document["concurrency"] == {"group": "cmhub-${{ github.ref }}", "cancel-in-progress": False}
    assert document["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    steps = document["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "cmhub build" in runs and not any("--locked" in r for r in runs)
    commit = next(s["run"] for s in steps if s.get("name") == "Commit the ledgers")
    assert "permalinks.lock plan.lock" in commit and "git pull -q --rebase" in commit and "git push" in commit
    assert runs.index("cmhub build") < runs.index(commit)
    uses = [s["uses"] for job in document["jobs"].values() for s in job["steps"] if "uses" in s]
    assert {u.split("@")[0]: u.split("@")[1] for u in uses} == ACTIONS
    # the build cache is kept, without the spare output trees, and sealed with the repository's secret
    assert any(s.get("uses", "").startswith("actions/cache@")
               and s["with"]["path"].split() == [".cmhub-cache", "!.cmhub-cache/trees"] for s in steps)
    for job in ("build", "publish"):
        assert document["jobs"][job]["env"] == {"CMHUB_CACHE_KEY": "${{ secrets.CMHUB_CACHE_KEY }}"}


def test_the_workflow_publishes_after_the_deploy_and_commits_what_went_out_even_after_a_failure(tmp_path: Path) -> None:
    project = init_hub(tmp_path / "hub")
    text = (project / ".github" / "workflows" / "cmhub.yml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    job = document["jobs"]["publish"]
    assert job["needs"] == "deploy"
    steps = {s.get("name", s.get("uses")): s for s in job["steps"]}
    assert steps["actions/checkout@v6"]["with"] == {"ref": "${{ github.ref_name }}"}  # with the build's ledgers
    assert install_command({"jobs": {"build": job}}) == install_command(document)
    secrets = ("CMHUB_MASTODON_TOKEN", "CMHUB_BLUESKY_HANDLE", "CMHUB_BLUESKY_APP_PASSWORD")
    for name in ("Publish the due teasers", "Fetch replies, reposts and likes"):
        assert steps[name]["env"] == {s: "${{ secrets." + s + " }}" for s in secrets}
    assert steps["Publish the due teasers"]["run"] == "cmhub publish"
    assert steps["Fetch replies, reposts and likes"] | {"env": None} == {
        "name": "Fetch replies, reposts and likes", "if": "${{ !cancelled() && github.event_name != 'push' }}",
        "run": "cmhub interactions", "env": None}
    commit = steps["Commit what was posted and fetched"]
    assert commit["if"] == "${{ !cancelled() }}"
    assert "posts.lock interactions.jsonl replies.jsonl" in commit["run"] and "git push" in commit["run"]
    names = list(steps)
    assert names.index("Publish the due teasers") < names.index("Commit what was posted and fetched")
    for secret in secrets:  # documented for the person who sets them
        assert f"#   {secret}" in text


@pytest.mark.parametrize(("direct_url", "command"), [
    (None, 'pip install "cmhub==1.2.3"'),
    ('{"url": "https://github.com/asso/cmhub.git", "vcs_info": {"vcs": "git", "commit_id": "0123abcd"}}',
     'pip install "cmhub @ git+https://github.com/asso/cmhub.git@0123abcd"'),
    ('{"url": "https://example.org/cmhub-1.2.3-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "ab12"}}}',
     'pip install "cmhub @ https://example.org/cmhub-1.2.3-py3-none-any.whl#sha256=ab12"'),
    ('{"url": "file:///home/me/cmhub", "dir_info": {"editable": true}}', ""),
    ('{"url": "file:///home/me/cmhub-1.2.3-py3-none-any.whl", "archive_info": {}}', ""),
])
def test_the_install_line_follows_where_cmhub_came_from(direct_url: str | None, command: str) -> None:
    assert line_from(direct_url, "1.2.3").command == command


def test_a_local_install_gets_a_step_that_fails_loudly(tmp_path: Path) -> None:
    text = workflow("17 * * * *", line_from('{"url": "file:///home/me/cmhub", "dir_info": {}}', "1.2.3"))
    assert "it ran cmhub 1.2.3 from file:///home/me/cmhub, which CI cannot reach" in text
    run = install_command(yaml.safe_load(text))
    result = subprocess.run(["sh", "-c", run], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == "::error file=.github/workflows/cmhub.yml::set up the step that installs cmhub " \
                            "(see its comment)\n"


def venv(folder: Path) -> Path:
    """A fresh virtual environment that sees this one's packages (offline: cmhub's dependencies and
    hatchling), never its cmhub: only the folders are added, not their .pth files."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    site = next((folder / "lib").glob("python*/site-packages"))
    (site / "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return folder / "bin"


def run_install(command: str, bin_dir: Path, *offline: str) -> None:
    """Run the workflow's install line in ``bin_dir``'s environment, with pip kept offline."""
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run(["sh", "-c", f"{command} --no-deps --no-build-isolation --no-index {' '.join(offline)}"],
                   check=True, capture_output=True, env=env)


@pytest.mark.slow
def test_the_install_line_installs_the_same_cmhub_in_a_fresh_environment(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is needed to make a local repository")
    repository = tmp_path / "cmhub-repo"
    repository.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(SOURCE / name, repository / name)
    for name in ("cmhub", "theme"):
        shutil.copytree(SOURCE / name, repository / name, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "cmhub"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()

    # the author installed cmhub from a Git repository: init pins that URL and commit (file://localhost/:
    # the pip of Python 3.11's venv refuses a git+file URL without a host)
    url = f"file://localhost{repository}"
    author = venv(tmp_path / "author")
    run_install(f'"{author}/pip" install "cmhub @ git+{url}@{commit}"', author)
    line = install_command(load_workflow(init_hub(tmp_path / "hub", [str(author / "cmhub")])))
    assert line == f'pip install "cmhub @ git+{url}@{commit}"'
    direct = json.loads(next((tmp_path / "author" / "lib").glob("python*/site-packages/cmhub-*.dist-info"))
                        .joinpath("direct_url.json").read_text(encoding="utf-8"))
    assert direct["vcs_info"]["commit_id"] == commit

    # CI runs that line in a fresh environment and gets the same cmhub
    ci = venv(tmp_path / "ci")
    run_install(line, ci)
    version = subprocess.run([str(ci / "cmhub"), "--version"], check=True, capture_output=True, text=True).stdout
    assert version == f"cmhub, version {__version__}\n"
    where = subprocess.run([str(ci / "python"), "-c", "import cmhub; print(cmhub.__file__)"], check=True,
                           capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "ci"), "the environment's own cmhub, not this one's"

    # from an index (here a folder of wheels): init pins the version, and that line installs it too
    wheels = tmp_path / "wheels"
    subprocess.run([str(ci / "pip"), "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w",
                    str(wheels), str(repository)], check=True, capture_output=True)
    indexed = venv(tmp_path / "indexed")
    run_install(f'"{indexed}/pip" install cmhub', indexed, "--ignore-installed", "--find-links", str(wheels))
    line = install_command(load_workflow(init_hub(tmp_path / "hub2", [str(indexed / "cmhub")])))
    assert line == f'pip install "cmhub=={__version__}"'
    run_install(line, ci, "--force-reinstall", "--find-links", str(wheels))
    version = subprocess.run([str(ci / "cmhub"), "--version"], check=True, capture_output=True, text=True).stdout
    assert re.fullmatch(rf"cmhub, version {re.escape(__version__)}\n", version)
