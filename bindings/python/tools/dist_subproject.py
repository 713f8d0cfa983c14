"""meson dist script: replace the subprojects/dstackcfg link by a real copy.

In the repository, subprojects/dstackcfg is a symbolic link to the
repository root, so the package builds the project's own meson.build. An
sdist must stand alone: this script swaps the link inside the dist tree for
the committed files of the repository (HEAD, as meson dist itself uses),
without bindings/.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile


def main() -> int:
    dist_root = os.environ["MESON_DIST_ROOT"]
    source_root = os.environ.get("MESON_PROJECT_SOURCE_ROOT") or os.environ["MESON_SOURCE_ROOT"]
    link = os.path.join(dist_root, "subprojects", "dstackcfg")
    repo = os.path.realpath(os.path.join(source_root, "subprojects", "dstackcfg"))
    archive = subprocess.run(["git", "-C", repo, "archive", "--format=tar", "HEAD"],
                             check=True, capture_output=True).stdout
    if os.path.islink(link) or os.path.isfile(link):
        os.unlink(link)
    elif os.path.isdir(link):
        shutil.rmtree(link)
    os.makedirs(link)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = [m for m in tar.getmembers()
                   if m.name != "bindings" and not m.name.startswith("bindings/")]
        extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(link, members=members, **extra)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
