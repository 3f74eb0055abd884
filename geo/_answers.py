"""The geocoder's answers kept on disk, one per distinct (name, province, role).

``geo validate`` and every ``geo build`` geocode the records' place names to
check them against their codes: the same few hundred names, run after run,
at a few milliseconds each. An answer depends only on the gazetteer (its
input files, the alias table, its builder code and the names learned from
the user's records), on the geocoder's own code and on its thresholds, so the
answers are kept in ``settings.cache_dir / "geocoder"`` in a file named by a
checksum of all of those (:func:`answers_key`): any change to them starts a
new file, and a cached answer is always the one the geocoder would give now.

Only the default gazetteer's answers are kept, and never those that asked a
fallback geocoder (its answers are not ours to keep). The file is JSON
(data, never a pickle), written atomically; a damaged or unreadable file is
ignored and written again.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from . import settings
from ._files import write_text_atomic
from ._matching import RESULT_COLUMNS, _as_text, _Progress

_FORMAT = 1  # bump when the stored layout changes
# Float columns of every answer table (the others hold text, floats and None as objects).
_FLOAT_COLUMNS = ["confidence"]
_PACKAGE = Path(__file__).resolve().parent
# The geocoder's code: the modules that turn a query into an answer.
_CODE_FILES = (
    *(
        _PACKAGE / name
        for name in ("geocoder.py", "_resolver.py", "_matching.py", "_choosing.py", "_names.py", "_answers.py")
    ),
    *sorted((_PACKAGE / "_steps").glob("*.py")),
)


def answers_key(role):
    """Return the checksum naming the answer file: gazetteer, learned names, code, thresholds, `role`."""
    from . import gazetteer
    from ._gazetteer import learned

    digest = hashlib.sha256(f"{_FORMAT}:{role}:{gazetteer.cache_key()}\n".encode())
    learned_names = learned.learned_path()
    digest.update(learned_names.read_bytes() if learned_names.is_file() else b"no learned names")
    for path in _CODE_FILES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    thresholds = (settings.fuzzy_threshold, settings.village_fuzzy_threshold, settings.max_name_length)
    digest.update(repr(thresholds).encode())
    return digest.hexdigest()[:32]


def resolve_with_answers(queries, role, resolve, progress=None):
    """Answer `queries` from the answer file, calling `resolve` for the ones not in it.

    Parameters
    ----------
    queries : pandas.DataFrame
        Columns ``name`` and ``province``.
    role : str
    resolve : callable
        ``resolve(queries, progress) -> DataFrame`` of :data:`RESULT_COLUMNS`
        (with ``candidates`` as text), aligned with the queries given; called
        once, with the distinct queries the file does not hold (or not at all).
    progress : tqdm-like, optional
        Counts every distinct query once, answered from the file or not.

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS` as object columns (missing values None),
        aligned with `queries` (same index).
    """
    if queries.empty:
        return resolve(queries, progress)
    pairs = pd.DataFrame({"name": queries["name"].map(_as_text), "province": queries["province"].map(_as_text)})
    pairs = pairs.astype(object).where(pairs.notna(), None)
    unique = pairs.drop_duplicates(ignore_index=True)
    keys = [json.dumps(pair) for pair in zip(unique["name"], unique["province"])]
    path = settings.cache_dir / "geocoder" / f"answers-{answers_key(role)}.json"
    answers = _read(path)
    missing = [position for position, key in enumerate(keys) if key not in answers]
    tracker = _Progress(progress, len(unique)) if progress is not None else None
    if tracker is not None:
        tracker.update(len(unique) - len(missing))
    if missing:
        fresh = resolve(unique.iloc[missing].reset_index(drop=True), _Forward(tracker) if tracker else None)
        values = fresh[RESULT_COLUMNS].astype(object).where(fresh[RESULT_COLUMNS].notna(), None)
        if len(answers) + len(missing) > settings.geocoder_max_answers:
            answers = {}  # start afresh rather than grow without bound
        answers.update(zip((keys[position] for position in missing), map(_plain, values.to_numpy().tolist())))
        _write(path, answers)
    if tracker is not None:
        tracker.finish()
    table = pd.DataFrame([answers[key] for key in keys], columns=RESULT_COLUMNS, dtype=object)
    table[_FLOAT_COLUMNS] = table[_FLOAT_COLUMNS].astype(float)
    unique["position"] = np.arange(len(unique))
    positions = pairs.merge(unique, on=["name", "province"], how="left")["position"].to_numpy()
    out = table.iloc[positions].reset_index(drop=True)
    out.index = queries.index
    return out


class _Forward:
    """Passes the resolver's counts on to the whole table's progress (having no total of its own to set)."""

    def __init__(self, tracker):
        self.update = tracker.update


def _plain(values):
    """An answer's values as JSON keeps them exactly (numpy numbers as Python ones)."""
    return [value.item() if isinstance(value, np.generic) else value for value in values]


def _read(path):
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("columns") != RESULT_COLUMNS:
        return {}
    answers = stored.get("answers")
    return answers if isinstance(answers, dict) else {}


def _write(path, answers):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps({"columns": RESULT_COLUMNS, "answers": answers}, ensure_ascii=False))
    except OSError:  # a read-only cache folder: the answers are worked out again next time
        pass
