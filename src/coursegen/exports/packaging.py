"""Shared by the LMS packages (SCORM, cmi5): a built site in a temporary folder, and a
deterministic zip written atomically.

The same course gives the same bytes: entries are sorted, carry one fixed timestamp and fixed
permissions, so an LMS administrator (or a test) can compare two exports by their checksum.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..sitebuild import build_site

# 1980-01-01 is the earliest date a zip entry can hold; any fixed date makes the bytes repeatable.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """The package could not be written; the message says why."""


@contextmanager
def built_site(config_file: Path) -> Iterator[Path]:
    """The course site built for a package (instant navigation off, LMS bridge loaded) in a
    temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="coursegen-export-") as tmp:
        site = Path(tmp) / "site"
        build_site(config_file, site, strict=False, for_package=True)
        yield site


# Not needed in a package: source maps (for developer tools) and the sitemap (for search engines;
# it carries the build date, which would make every day's package differ).
_LEFT_OUT = ("sitemap.xml", "sitemap.xml.gz")


def site_files(site: Path) -> dict[str, Path]:
    """Every file a package needs of a built site, by its zip name (forward slashes, no leading
    slash), sorted."""
    found = {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        if p.is_file() and not p.name.endswith(".map") and p.relative_to(site).as_posix() not in _LEFT_OUT
    }
    return dict(sorted(found.items()))


def write_zip(target: Path, entries: Mapping[str, bytes | Path]) -> None:
    """Write ``entries`` (zip name → bytes or a file to copy) as a deterministic zip at
    ``target``, atomically: a temporary file beside it is renamed into place when complete."""
    target = target.resolve()
    for name in entries:
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            raise PackageError(f"refusing the zip entry name {name!r}: names are relative, with forward slashes")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise PackageError(f"cannot write {target}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(entries):
                data = entries[name]
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # Unix, so the permissions above are read as such
                archive.writestr(info, data.read_bytes() if isinstance(data, Path) else data, compresslevel=9)
        temp.chmod(0o666 & ~_umask())
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PackageError(
            f"cannot write {target}: {exc.strerror or exc}. Nothing was written; check that the folder "
            "can be written and the disk is not full"
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
