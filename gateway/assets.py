"""Installs the GraphiQL explorer's browser assets from the npm registry (`python -m gateway.assets`).

Owns the pinned list of npm packages and the files taken from each. Run at set-up (the
Makefile, the Dockerfile), never at request time: the gateway then serves these files
itself, so GraphiQL works without internet access. Uses `npm pack` (the registry's own
client, which checks each tarball's integrity) and keeps only the listed files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

# graphiql 3.x is the last line that ships a standalone UMD bundle; it runs on React 18's UMD builds.
PACKAGES: dict[str, tuple[str, ...]] = {
    "graphiql@3.9.0": ("graphiql.min.js", "graphiql.min.css"),
    "react@18.3.1": ("umd/react.production.min.js",),
    "react-dom@18.3.1": ("umd/react-dom.production.min.js",),
}
ASSET_FILES = tuple(Path(name).name for files in PACKAGES.values() for name in files)
DEFAULT_DIR = Path(__file__).resolve().parent / "static" / "vendor"


MANIFEST = "VERSIONS"


def _pinned() -> str:
    return "\n".join(PACKAGES) + "\n"


def missing_assets(directory: Path) -> list[str]:
    """Names of the asset files not installed in `directory` (all of them after a version change)."""
    manifest = directory / MANIFEST
    if not manifest.is_file() or manifest.read_text() != _pinned():
        return list(ASSET_FILES)
    return [name for name in ASSET_FILES if not (directory / name).is_file()]


def _pack(spec: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to install the GraphiQL assets (apt-get install npm)")
    completed = subprocess.run(
        [npm, "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return workdir / completed.stdout.strip().splitlines()[-1]


def install(directory: Path = DEFAULT_DIR) -> list[Path]:
    """Fetch each pinned package and copy its listed files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as work:
        for spec, files in PACKAGES.items():
            tarball = _pack(spec, Path(work))
            with tarfile.open(tarball) as archive:
                for name in files:
                    member = archive.extractfile(f"package/{name}")
                    if member is None:
                        raise SystemExit(f"{spec} has no {name}")
                    target = directory / Path(name).name
                    target.write_bytes(member.read())
                    written.append(target)
    (directory / MANIFEST).write_text(_pinned())
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DIR, help="where to put the files")
    parser.add_argument("--if-missing", action="store_true", help="do nothing when every file is there")
    args = parser.parse_args(argv)
    if args.if_missing and not missing_assets(args.dest):
        return 0
    for path in install(args.dest):
        print(f"installed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
