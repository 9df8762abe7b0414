"""Launch links for wherever the course is hosted: `python -m coursekit links --repo URL [--ref BRANCH] [--hub URL]`.

Prints the Binder URL, a Binder badge (Markdown) and the nbgitpuller link for a JupyterHub, all
opening lesson 00 from the branch given. Nothing is looked up on the network: the links are
built from the documented formats.
- Binder (BinderHub's repository providers): `https://mybinder.org/v2/gh/OWNER/REPO/REF` for
  GitHub, `/v2/gl/<url-escaped namespace/repo>/REF` for gitlab.com, and
  `/v2/git/<url-escaped clone URL>/REF` for any other git host; `urlpath` opens a file in
  JupyterLab (`lab/tree/<path>`).
- nbgitpuller: `https://HUB/hub/user-redirect/git-pull?repo=URL&urlpath=...&branch=REF`, where
  `urlpath` must start with the folder the course is cloned into, the repository's name.
Use a branch, not a tag: nbgitpuller's later clicks fail on a tag (see instructor/classroom-setup.md),
and a release branch for a class never moves except to deliver fixes (docs/releasing.md).
"""
from __future__ import annotations

import argparse
import re
import sys
from urllib.parse import quote, urlencode, urlparse

START = "lessons/00_start_here.ipynb"
BINDER = "https://mybinder.org"
BADGE = "https://mybinder.org/badge_logo.svg"
_BAD_REF = re.compile(r"(^[-/.]|\.\.|[\s~^:?*\[\\]|@\{|/$|\.lock$|^@$|//)")
_TAGLIKE = re.compile(r"^v?\d+(\.\d+)+$")


class LinkError(ValueError):
    """A repository URL, branch or hub address that cannot make a working link."""


def parse_repo(url: str) -> tuple[str, str, str]:
    """(host, path without .git, folder name) of an https clone URL; raises LinkError."""
    parsed = urlparse(url.strip())
    if parsed.scheme != "https" or not parsed.netloc:
        raise LinkError(f"--repo must be the https address of the course's git repository "
                        f"(for example https://github.com/YOUR-ACCOUNT/ai-under-sanctions), not {url!r}")
    path = parsed.path.strip("/")
    path = path[:-4] if path.endswith(".git") else path
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2 or parsed.query or parsed.fragment:
        raise LinkError(f"--repo {url!r} should look like https://HOST/OWNER/REPOSITORY")
    if parsed.netloc.lower() == "github.com" and len(parts) != 2:
        raise LinkError(f"a GitHub repository address is https://github.com/OWNER/REPOSITORY; "
                        f"{url!r} has more after it (give the repository, not a page inside it)")
    return parsed.netloc.lower(), "/".join(parts), parts[-1]


def check_ref(ref: str) -> str:
    if not ref or _BAD_REF.search(ref):
        raise LinkError(f"--ref {ref!r} is not a valid git branch name")
    return ref


def clone_url(repo: str) -> str:
    host, path, _ = parse_repo(repo)
    return f"https://{host}/{path}"


def binder_url(repo: str, ref: str, path: str = START) -> str:
    host, repo_path, _ = parse_repo(repo)
    check_ref(ref)
    if host == "github.com":
        spec = f"gh/{repo_path}/{quote(ref, safe='/')}"
    elif host == "gitlab.com":
        spec = f"gl/{quote(repo_path, safe='')}/{quote(ref, safe='/')}"
    else:
        spec = f"git/{quote(clone_url(repo), safe='')}/{quote(ref, safe='/')}"
    return f"{BINDER}/v2/{spec}?{urlencode({'urlpath': f'lab/tree/{path}'})}"


def badge(repo: str, ref: str) -> str:
    return f"[![Launch on Binder]({BADGE})]({binder_url(repo, ref)})"


def hub_link(repo: str, ref: str, hub: str, path: str = START) -> str:
    parsed = urlparse(hub.strip())
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise LinkError(f"--hub must be your JupyterHub's address, such as https://hub.example.org, "
                        f"not {hub!r}")
    _, _, folder = parse_repo(repo)
    check_ref(ref)
    base = f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}"
    query = urlencode({"repo": clone_url(repo), "urlpath": f"lab/tree/{folder}/{path}",
                       "branch": ref})
    return f"{base}/hub/user-redirect/git-pull?{query}"


def report(repo: str, ref: str, hub: str | None) -> str:
    lines = [f"Course repository: {clone_url(repo)}  (branch {ref})", ""]
    if _TAGLIKE.match(ref):
        lines += [f"Warning: {ref!r} looks like a tag. nbgitpuller needs a branch: with a tag the "
                  "first click works and every later click fails. Make a release branch from the "
                  "tag (docs/releasing.md) and pass it to --ref.", ""]
    lines += ["Binder URL (opens lesson 00; no login, nothing kept after the session):",
              f"  {binder_url(repo, ref)}", "",
              "Binder badge (Markdown, for a README or a course page):",
              f"  {badge(repo, ref)}", ""]
    if hub:
        lines += [f"JupyterHub link (nbgitpuller; copies the course into each learner's home "
                  f"folder, as {parse_repo(repo)[2]}/, and opens lesson 00):", f"  {hub_link(repo, ref, hub)}"]
    else:
        lines += ["JupyterHub link: run again with --hub https://YOUR-HUB-ADDRESS to print it."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit links",
        description="Print the Binder URL, a Binder badge and the nbgitpuller (JupyterHub) link "
                    "for the course, wherever it is hosted.")
    parser.add_argument("--repo", required=True,
                        help="https address of the git repository that holds the course")
    parser.add_argument("--ref", help="the branch to open (a release branch for a class); "
                                      "default main, with a warning")
    parser.add_argument("--hub", help="your JupyterHub's address, for the nbgitpuller link")
    args = parser.parse_args(argv)
    ref = args.ref or "main"
    try:
        text = report(args.repo, ref, args.hub)
    except LinkError as exc:
        print(f"Cannot make the links: {exc}", file=sys.stderr)
        return 2
    if not args.ref:
        print("No --ref given, so the links follow the branch main, which changes whenever the "
              "course is edited. For a class, link a release branch (docs/releasing.md).\n")
    print(text)
    return 0
