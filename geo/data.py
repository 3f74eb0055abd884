"""Public data files: the manifest, checked downloads, and the offline mirror.

Every external file geo uses is listed in ``boundaries/manifest.csv`` with its
public URL, sha256, licence and credit line. :func:`fetch` returns a local path
to a verified copy, taking it, in order, from

1. the user cache (``settings.cache_dir / "data"``), re-verified once per process;
2. a mirror folder holding the same files by name (``GEO_DATA_MIRROR`` or
   ``geo --mirror DIR``), for machines without internet;
3. the file's public URL (or ``GEO_DATA_BASE_URL/<name>``, an internal HTTP
   mirror), downloaded with pooch and checked against its sha256.

Nothing half-written is ever left in the cache: copies and downloads go to a
temporary file that is renamed only once its checksum matches.
"""

import csv
import functools
import hashlib
import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import settings
from ._files import atomic_path
from .errors import DataFetchError

MANIFEST_PATH = settings.BOUNDARIES_DIR / "manifest.csv"


@dataclass(frozen=True)
class DataFile:
    """One external file of the manifest."""

    name: str
    url: str
    sha256: str
    licence: str
    credit: str
    description: str


@functools.cache
def manifest():
    """Return the manifest as a dict of file name to :class:`DataFile`."""
    with open(MANIFEST_PATH, newline="", encoding="utf-8") as handle:
        return {row["name"]: DataFile(**row) for row in csv.DictReader(handle)}


def data_dir():
    """Return the cache folder for data files (not created)."""
    return settings.cache_dir / "data"


def fetch(name, *, mirror=None):
    """Return the path of a verified local copy of the data file `name`.

    Parameters
    ----------
    name : str
        A file name from the manifest, e.g. ``"afg_admbnda_adm2_agcho_20180522.zip"``.
    mirror : path-like, optional
        A folder holding the files by name; defaults to ``settings.data_mirror``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataFetchError
        The name is not in the manifest, the mirror lacks the file, a checksum
        does not match, or the download failed. The message names the file and
        the fix.
    """
    entry = manifest().get(name)
    if entry is None:
        raise DataFetchError(f"{name}: not a file of the data manifest ({MANIFEST_PATH})")
    target = data_dir() / name
    if target.exists():
        if _verified(target, entry.sha256):
            return target
        target.unlink()  # a corrupted or truncated cache copy: fetch it again
    target.parent.mkdir(parents=True, exist_ok=True)
    mirror = Path(mirror) if mirror is not None else settings.data_mirror
    if mirror is not None:
        _copy_from_mirror(entry, mirror, target)
    else:
        _download(entry, target)
    return target


def fetch_all(*, mirror=None, progress=None):
    """Fetch every file of the manifest; return the list of paths.

    `progress`, if given, wraps the iterable of entries (e.g. ``tqdm``).
    """
    entries = list(manifest().values())
    if progress is not None:
        entries = progress(entries)
    return [fetch(entry.name, mirror=mirror) for entry in entries]


def sha256_of(path):
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verified(path, expected_sha256):
    """Check a cached file once per process (keyed by its size and mtime)."""
    stat = path.stat()
    return _verified_stat(str(path), stat.st_size, stat.st_mtime_ns, expected_sha256)


@functools.cache
def _verified_stat(path, size, mtime_ns, expected_sha256):
    return sha256_of(path) == expected_sha256


def _copy_from_mirror(entry, mirror, target):
    source = mirror / entry.name
    if not source.is_file():
        raise DataFetchError(
            f"{entry.name}: not found in the data mirror {mirror} (GEO_DATA_MIRROR); "
            "put the file there, or unset GEO_DATA_MIRROR to download it"
        )
    actual = sha256_of(source)
    if actual != entry.sha256:
        raise DataFetchError(
            f"{entry.name}: checksum mismatch in the data mirror {mirror} "
            f"(sha256 {actual[:12]}…, expected {entry.sha256[:12]}…); "
            "the copy is corrupt or truncated: replace it with the public file"
        )
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)


def _download(entry, target):
    base_url = settings.data_base_url()
    url = f"{base_url.rstrip('/')}/{entry.name}" if base_url else entry.url
    remote_name = url.rsplit("/", 1)[-1]
    with atomic_path(target) as tmp:
        if remote_name == entry.name:
            _retrieve(url, tmp, entry)
        else:
            _retrieve_derived(url, tmp, entry)


def _retrieve(url, tmp, entry, *, known_hash=True):
    # Imported here: pooch pulls in requests, which the offline paths never need.
    import pooch

    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{entry.sha256}" if known_hash else None,
            fname=tmp.name,
            path=tmp.parent,
            progressbar=_progressbar(),
            downloader=pooch.HTTPDownloader(timeout=settings.download_timeout, progressbar=_progressbar()),
        )
    except ValueError as error:
        if "hash" in str(error).lower():
            raise DataFetchError(
                f"{entry.name}: checksum mismatch for the download from {url}; "
                "the server sent another file: try again later or use GEO_DATA_MIRROR"
            ) from error
        raise DataFetchError(f"{entry.name}: download from {url} failed: {error}") from error
    except Exception as error:  # requests' errors: no network, DNS, HTTP status
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataFetchError(
            f"{entry.name}: download from {url} failed ({reason[:160]}); "
            "check the network, or set GEO_DATA_MIRROR to a folder holding the file"
        ) from error


def _retrieve_derived(url, tmp, entry):
    """Download a public archive and extract this file's rows from it.

    Only the GeoNames town list is derived: the manifest's file holds the
    Afghan rows of the world-wide ``cities5000.zip``. That dump is updated
    daily, so its checksum cannot be pinned; the mirror copy's can.
    """
    archive = tmp.with_name(tmp.name + ".zip")
    try:
        _retrieve(url, archive, entry, known_hash=False)
        with zipfile.ZipFile(archive) as bundle:
            member = bundle.namelist()[0]
            text = io.TextIOWrapper(bundle.open(member), encoding="utf-8")
            rows = [line for line in text if line.split("\t")[8:9] == ["AF"]]
    except zipfile.BadZipFile as error:
        raise DataFetchError(f"{entry.name}: {url} is not a readable zip archive; try again later") from error
    finally:
        archive.unlink(missing_ok=True)
    tmp.write_text("".join(rows), encoding="utf-8")


def _progressbar():
    return settings.show_progress() and _is_terminal()


def _is_terminal():
    import sys

    return sys.stderr.isatty()
