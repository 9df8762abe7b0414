"""`python -m coursekit links`: the printed links parse and open lesson 00; the docs agree with the
command and name no invented address; nbgitpuller's merge behaviour is what the guide says."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import nbformat
import pytest

from coursekit.teacher import links
from coursekit.model.paths import ROOT

REPO = "https://github.com/YOUR-ACCOUNT/ai-under-sanctions"
REF = "release-0.1"
HUB = "https://hub.example.org"
DOCS = [ROOT / "README.md", ROOT / "instructor" / "README.md", ROOT / "instructor" / "classroom-setup.md",
        ROOT / "docs" / "releasing.md", ROOT / "docs" / "teacher-tools.md"]


def printed(capsys, *args) -> dict[str, str]:
    assert links.main(list(args)) == 0
    out = capsys.readouterr().out
    urls = re.findall(r"https://\S+", out)
    return {"out": out, "binder": next(u for u in urls if u.startswith(links.BINDER + "/v2/")),
            "hub": next((u for u in urls if "/git-pull?" in u), ""),
            "badge": next(line.strip() for line in out.splitlines() if line.strip().startswith("[!["))}


def test_printed_links_parse_and_open_lesson_00(capsys):
    got = printed(capsys, "--repo", REPO, "--ref", REF, "--hub", HUB)
    binder = urlparse(got["binder"])
    assert (binder.scheme, binder.netloc) == ("https", "mybinder.org")
    assert binder.path == f"/v2/gh/YOUR-ACCOUNT/ai-under-sanctions/{REF}"
    target = parse_qs(binder.query)["urlpath"][0]
    assert target == "lab/tree/lessons/00_start_here.ipynb"
    assert (ROOT / target.removeprefix("lab/tree/")).is_file()
    hub = urlparse(got["hub"])
    assert (hub.netloc, hub.path) == ("hub.example.org", "/hub/user-redirect/git-pull")
    query = parse_qs(hub.query)
    assert query["repo"] == [REPO] and query["branch"] == [REF]
    folder, _, rest = query["urlpath"][0].removeprefix("lab/tree/").partition("/")
    assert folder == "ai-under-sanctions" == REPO.rsplit("/", 1)[1]  # where nbgitpuller clones it
    assert (ROOT / rest).is_file()
    assert got["badge"] == f"[![Launch on Binder]({links.BADGE})]({got['binder']})"


def test_other_hosts_and_clone_urls(capsys):
    assert links.binder_url("https://gitlab.com/group/sub/course.git", "release-0.1") == (
        "https://mybinder.org/v2/gl/group%2Fsub%2Fcourse/release-0.1"
        "?urlpath=lab%2Ftree%2Flessons%2F00_start_here.ipynb")
    assert links.binder_url("https://git.school.example/t/course", "term/2026").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.school.example%2Ft%2Fcourse/term/2026?")
    link = links.hub_link("https://github.com/a/b.git", "main", "https://hub.example.org/prefix/")
    assert link.startswith("https://hub.example.org/prefix/hub/user-redirect/git-pull?")
    assert parse_qs(urlparse(link).query)["urlpath"] == ["lab/tree/b/lessons/00_start_here.ipynb"]


@pytest.mark.parametrize("args, words", [
    (["--repo", "http://github.com/a/b"], "https address"),
    (["--repo", "github.com/a/b"], "https address"),
    (["--repo", "https://github.com/a/b/tree/main"], "not a page inside it"),
    (["--repo", REPO, "--ref", "my branch"], "not a valid git branch name"),
    (["--repo", REPO, "--ref", "a..b"], "not a valid git branch name"),
    (["--repo", REPO, "--hub", "hub.example.org"], "JupyterHub's address"),
])
def test_bad_input_is_refused_in_words(capsys, args, words):
    assert links.main(args) == 2
    assert words in capsys.readouterr().err


def test_a_tag_or_no_branch_is_warned_about(capsys):
    assert "looks like a tag" in printed(capsys, "--repo", REPO, "--ref", "v0.1.0")["out"]
    out = printed(capsys, "--repo", REPO)["out"]
    assert "No --ref given" in out and "/main?" in out and "run again with --hub" in out


def test_docs_agree_with_the_command_and_name_no_invented_address():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        assert "ai-under-sanctions/course" not in text, f"{name}: an invented repository address"
        for url in re.findall(r"https://\S+", text):
            assert not re.search(r"branch=v?\d+\.\d+|/v\d+\.\d+(\.\d+)?\?", url), f"{name}: a tag in {url}"
        for cmd in re.findall(r"python -m coursekit links[^\n`]*", text):
            if "--repo" in cmd:
                assert f"--ref {REF}" in cmd, f"{name}: `{cmd}` does not use the branch {REF}"
        for url in re.findall(r"https://mybinder\.org/v2/[^\s`)]+", text):
            if "badge_logo" in url:
                continue
            parts = urlparse(url).path.split("/")
            repo, ref = f"https://github.com/{parts[3]}/{parts[4]}", unquote(parts[5])
            assert url == links.binder_url(repo, ref), f"{name}: {url} is not what the command prints"
            assert (repo, ref) == (REPO, REF)
        for url in re.findall(r"https://[^\s`)]+/hub/user-redirect/git-pull\?[^\s`)]+", text):
            q = parse_qs(urlparse(url).query)
            hub = url.split("/hub/user-redirect")[0]
            assert url == links.hub_link(q["repo"][0], q["branch"][0], hub), \
                f"{name}: {url} is not what the command prints"
            assert (q["repo"][0], q["branch"][0], hub) == (REPO, REF, HUB)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python -m coursekit links --repo {REPO} --ref {REF} --hub {HUB}" in readme


def test_the_release_procedure_is_documented():
    text = (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
    for step in ("CHANGELOG.md", "git tag -a v", "release-", "never force-push", "coursekit links"):
        assert step in text, step
    assert "(docs/releasing.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- nbgitpuller's merge

GIT = shutil.which("git")
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run([GIT, *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True,
                          check=True).stdout


def _edit(path: Path, change) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        change(cell)
    nbformat.write(nb, path)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_nbgitpuller_keeps_the_learners_lines_and_delivers_the_rest(tmp_path):
    """The guide's account of a fix pushed during term, with nbgitpuller 1.3's own git steps
    (nbgitpuller/pull.py: fetch; commit the learner's changes; merge -Xours)."""
    upstream, learner = tmp_path / "upstream", tmp_path / "learner"
    (upstream / "exercises").mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "03_partnership.ipynb", upstream / "exercises")
    _git(upstream, "init", "-q", "-b", REF)
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-qm", "release")
    _git(tmp_path, "clone", "-q", "--branch", REF, str(upstream), str(learner))
    mine = learner / "exercises" / "03_partnership.ipynb"
    answer = "cagr_2021_2024 = ((end / start) ** (1 / years) - 1) * 100"

    def learner_works(cell):  # answers 03.1 and runs the notebook
        if cell.cell_type == "code":
            cell.source = re.sub(r"^cagr_2021_2024 = \.\.\..*$", answer, cell.source, flags=re.M)
            cell.execution_count = 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    _edit(mine, learner_works)
    assert answer in mine.read_text()

    def teacher_fixes(cell):
        if cell.cell_type == "markdown" and cell.source.startswith("## Exercise 03.4"):
            cell.source = cell.source.replace("## Exercise 03.4", "## Exercise 03.4 (FIX-PROMPT)")
        if cell.cell_type == "code" and "cagr_2021_2024 = ..." in cell.source:
            cell.source = (cell.source.replace("years = 2024 - 2021", "years = 2024 - 2021  # FIX-OTHER-LINE")
                           .replace("cagr_2021_2024 = ...", "cagr_2021_2024 = ...  # FIX-SAME-LINE"))
        if cell.cell_type == "code" and cell.source.startswith("asym.rows"):
            cell.source += "  # FIX-OTHER-CELL"
    _edit(upstream / "exercises" / "03_partnership.ipynb", teacher_fixes)
    _git(upstream, "commit", "-qam", "fix during term")

    _git(learner, "fetch", "-q")
    if subprocess.run([GIT, "diff-files", "--quiet"], cwd=learner, env=GIT_ENV).returncode:
        _git(learner, "commit", "-qam", "WIP", "--allow-empty")
    _git(learner, "merge", "-Xours", f"origin/{REF}")

    text = mine.read_text()
    nbformat.reads(text, as_version=4)  # still a valid notebook
    assert answer in text                                       # the learner's work is kept
    assert "FIX-PROMPT" in text and "FIX-OTHER-CELL" in text    # fixes elsewhere arrive,
    assert "FIX-OTHER-LINE" in text                             # even in the same cell,
    assert "FIX-SAME-LINE" not in text                          # but not on the learner's line
