"""Atomic file writing: a reader sees the old file or the new one, never half."""

import contextlib
import contextvars
import errno
import json
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; rename it over `path` on success.

    Parameters
    ----------
    path : str or pathlib.Path
        The final file. Its folder must exist and be writable.

    Yields
    ------
    pathlib.Path
        A temporary file in the same folder (so the rename is atomic), with the
        same suffix (so drivers that choose a format by suffix still work).
        On an exception it is removed and `path` is left untouched.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    pending = _PENDING.get()
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the mode any new file
        # of this user gets, so a map can be shared or served.
        if tmp.exists():
            os.chmod(tmp, 0o666 & ~_umask())
        if pending is None:
            os.replace(tmp, path)
        else:
            pending.append((tmp, path))
    finally:
        if pending is None or (tmp, path) not in pending:
            tmp.unlink(missing_ok=True)


# The renames a `files_together` block holds back (None outside one).
_PENDING = contextvars.ContextVar("pending_renames", default=None)


@contextlib.contextmanager
def files_together():
    """Make the files written atomically inside this block appear together, or none of them.

    A build writes a page and several GIS files; one failing (a full disk at
    the GeoPackage) must not leave the others from this run beside older
    ones, which a reader would take for one consistent set. Each file is
    still written to its temporary name; the renames wait for the block to
    end without an error, and an error removes every temporary file.
    """
    pending = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _PENDING.reset(token)
    try:
        # What would stop a rename partway (a folder in a file's place) is
        # found before the first one.
        for _, path in pending:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        for tmp, path in pending:
            os.replace(tmp, path)
    finally:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)


def write_text_atomic(path, text, encoding="utf-8"):
    """Write `text` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)


def write_bytes_atomic(path, data):
    """Write `data` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def cached_json(path, make):
    """Return the JSON value kept at `path`, or ``make()``, then kept there.

    For derived data in the cache folder: an unreadable file is made again,
    and a cache folder that cannot be written only means making it again
    next time.
    """
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(value))
    except OSError:
        pass
    return value


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
