"""Record snapshots: what the service serves, and reloading it safely.

The service never reads the records folder while answering a request. It
copies ``incidents.csv`` and ``claims.csv`` into a snapshot folder of its
cache named by their content (sha256), validates that copy and serves it
until the files change. A change is noticed by each file's modification time
and size. A changed file is read only once it has been left alone for
``settings.serve_reload_settle_seconds``; it is read whole, and a read during
which either file changed is discarded and tried again on a later request,
so a half-written file is not served. Records that fail validation are not served either:
the previous snapshot stays in service and the problem is reported on the
landing page and in the log.
"""

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors, settings
from .._files import write_bytes_atomic
from . import _pipeline

log = logging.getLogger("geo.serve")
RECORD_FILES = ("incidents.csv", "claims.csv")


@dataclass(eq=False)
class Snapshot:
    """One validated version of the records.

    Compared by identity, so in-memory caches keyed by a snapshot forget it
    with the snapshot.
    """

    key: str
    inputs: object
    folder: Path
    first_date: object = None
    last_date: object = None
    claim_dates: list = field(default_factory=list)


class RecordStore:
    """The records of one folder, reloaded when their files change.

    Parameters
    ----------
    records_dir : path-like
        Holds ``incidents.csv`` and ``claims.csv``.
    cache_dir : path-like
        Where snapshots are kept (``cache_dir / "records" / <sha256>``).
    prepare : callable, optional
        Called with each new snapshot before it is served (to compute what
        every request needs once, not in many threads at once).
    """

    def __init__(self, records_dir, cache_dir, prepare=None):
        self.records_dir = Path(records_dir)
        self.prepare = prepare
        self.cache_dir = Path(cache_dir)
        self.problem = None
        self._signature = None
        self._snapshot = None
        self._lock = threading.Lock()
        missing = [name for name in RECORD_FILES if not (self.records_dir / name).is_file()]
        if missing:
            raise errors.InputError(f"{self.records_dir}: no {' or '.join(missing)} in this folder")

    def current(self):
        """Return the snapshot to serve, reloading first if the files changed.

        Raises
        ------
        GeoError
            Only when no snapshot has ever loaded (the first load failed).
        """
        if self._snapshot is not None and self._signature == self._stat():
            return self._snapshot
        if self._snapshot is not None and not self._settled():
            return self._snapshot
        with self._lock:
            if self._snapshot is None or self._signature != self._stat():
                self._reload()
        if self._snapshot is None:
            raise errors.InputError(self.problem or f"{self.records_dir}: records not loaded")
        return self._snapshot

    def _settled(self):
        """True when no record file was modified within the settle time."""
        signature = self._stat()
        if signature is None:
            return True
        newest = max(mtime for mtime, _, _ in signature) / 1e9
        return time.time() - newest >= settings.serve_reload_settle_seconds

    def _stat(self):
        try:
            stats = [os.stat(self.records_dir / name) for name in RECORD_FILES]
        except OSError:
            return None
        return tuple((s.st_mtime_ns, s.st_size, s.st_ino) for s in stats)

    def _reload(self):
        before = self._stat()
        try:
            contents = [(self.records_dir / name).read_bytes() for name in RECORD_FILES]
        except OSError as error:
            self._fail(f"{error.filename}: {error.strerror}", before)
            return
        if before is None or self._stat() != before:
            # A file changed while it was read: keep what we have, look again later.
            return
        key = hashlib.sha256(b"\0".join(contents)).hexdigest()[:32]
        if self._snapshot is not None and self._snapshot.key == key:
            self._signature = before
            return
        try:
            snapshot = self._load(key, contents)
        except errors.ValidationError as error:
            self._fail(f"{self.records_dir}: {len(error.problems)} problem(s) in the records, first: {error}", before)
            return
        except errors.GeoError as error:
            self._fail(str(error), before)
            return
        self._snapshot, self._signature, self.problem = snapshot, before, None
        log.info(
            "serving records %s (%d incidents, %d claims)",
            key,
            len(snapshot.inputs.incidents),
            len(snapshot.inputs.claims),
        )

    def _fail(self, message, signature):
        # Remember the signature so the same broken files are not re-read on every request.
        self.problem, self._signature = message, signature
        if self._snapshot is not None:  # at start-up the caller reports it
            log.warning("records not reloaded: %s", message)

    def _load(self, key, contents):
        folder = self.cache_dir / "records" / key
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / name for name in RECORD_FILES]
        for path, content in zip(paths, contents):
            if not path.is_file():
                write_bytes_atomic(path, content)
        inputs = _pipeline.load_inputs(*paths)
        first, last = _pipeline.date_range(inputs.incidents, inputs.claims)
        snapshot = Snapshot(key, inputs, folder, first, last, _pipeline.claim_dates(inputs.claims))
        if self.prepare is not None:
            self.prepare(snapshot)
        return snapshot
