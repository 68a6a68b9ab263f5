"""The normalized events of a file, kept in Parquet, keyed by the file's bytes.

A restart, a second server worker or the next command finds the events of an
unchanged file here instead of reading a million rows again, and other tools
(pandas, DuckDB, Arrow) read the same file as a table.

Where: ``$TIMELINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/timeline``, else
``~/.cache/timeline``; ``TIMELINE_CACHE_DIR=off`` turns it off. Each events file
has a folder named by its real path; in it, each entry is
``<key>-<sum>.parquet``, the key a digest of the file's bytes, the actors file's
bytes and the code that reads them (so another version never trusts it), the sum a
digest of the entry's own bytes. Deleting the folder clears it; nothing else depends
on it.

An entry is never trusted blindly: it is read only when its bytes match its sum
and its stored key matches, and any file that cannot be read as one of ours is
ignored (and replaced by the next full read). The folders must be the user's own
(:mod:`timeline.private`): one another user owns or can write, or a symlink, raises
UnsafeFolder rather than being read. Writes go to a temporary file renamed into
place, so a reader sees a whole entry or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import shared
from .columns import TEXT_COLUMNS, VOCABULARIES, first_rows, strings
from .columns import from_arrow as text_from_arrow, to_arrow as text_to_arrow
from .csvfile import Form
from .lockfile import LockError, held
from .private import NoFolder, check_if_present, private_folder, read_private, remove_stale_parts
from .problems import Problem

FORMAT = 2  # bump when the layout of an entry changes
KEEP = 3  # entries kept per events file: the newest, plus older ones appends can start from
MIN_ROWS = 20_000  # smaller files read faster than an entry is written
ROW_GROUP = 100_000  # rows written at once
PIECE = 1 << 23  # bytes of a large file hashed apart (digest)
TURN_TIMEOUT = 120.0  # seconds a process waits for another reading the same file
SHARE_TIMEOUT = 600.0  # seconds the child writing the shared file may take (about 2 s a million events)
_CODE = ("columns.py", "csvfile.py", "dates/*.py", "holidays.py", "actors.py", "rules.py", "assembly.py", "appends.py",
         "events.py", "schema.py", "store.py", "shared.py")
_DATE_COLUMNS = ("start", "end", "reported")
ACTOR_CODE = "actors_code"  # the column numbering each row's actors (the distinct tuples, as they first come)
_OFF = ("off", "0", "none", "no")


def cache_root() -> Path | None:
    """The cache folder, or None when turned off."""
    configured = os.environ.get("TIMELINE_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in _OFF or not configured.strip() else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def digest(data: bytes) -> str:
    """40 hex digits naming ``data``: its SHA-256 (twice blake2b's speed where the CPU hashes
    SHA-256 itself); past two pieces of ``PIECE`` bytes, the SHA-256 of its length and of each
    piece's SHA-256, the pieces hashed by two threads at once (hashlib lets go of the GIL): a
    million events' 155 MB take 0.05 s instead of 0.09 s of a restart's 0.6 s."""
    if len(data) <= 2 * PIECE:
        return hashlib.sha256(data).hexdigest()[:40]
    view = memoryview(data).cast("B")
    leaves = [b""] * -(-len(view) // PIECE)

    def hash_every_other(first: int) -> None:
        for i in range(first, len(leaves), 2):
            leaves[i] = hashlib.sha256(view[i * PIECE:(i + 1) * PIECE]).digest()

    helper = threading.Thread(target=hash_every_other, args=(1,))
    helper.start()
    hash_every_other(0)
    helper.join()
    return hashlib.sha256(b"pieces %d:" % len(view) + b"".join(leaves)).hexdigest()[:40]


def _sum(data: bytes) -> str:
    """The sum an entry's name carries: the SHA-256 of its bytes, as written (file_digest)."""
    return hashlib.sha256(data).hexdigest()[:40]


@lru_cache(maxsize=1)
def code_version() -> str:
    """What the entries depend on besides the bytes: our reading code and the date library."""
    from importlib.metadata import version  # not dateparser itself: a restart need not load its data

    here = Path(__file__).resolve().parent
    hasher = hashlib.blake2b(digest_size=12)
    hasher.update(f"{FORMAT} {version('dateparser')}".encode())
    for name in _CODE:
        for path in sorted(here.glob(name)):
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def remembered(name: str, build, encode, decode):
    """``build()``, a value our code makes from the installed libraries alone, kept as JSON in the
    cache folder (per code version) so that the next process reads it instead of making it."""
    root = cache_root()
    if root is None:
        return build()
    path = root / f"{name}-{code_version()}.json"
    try:
        check_if_present(root, what="cache folder")
    except NoFolder:
        return build()
    try:
        return decode(json.loads(read_private(path) or b""))
    except (ValueError, TypeError, KeyError):  # none yet, or not ours: made again
        pass
    value = build()
    try:
        private_folder(root, what="cache folder")
        handle, temporary = tempfile.mkstemp(dir=root, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(encode(value), out, ensure_ascii=False)
        os.replace(temporary, path)
        remove_stale_parts(root)
    except (OSError, NoFolder):
        pass
    return value


@dataclass(frozen=True)
class Entry:
    """A dataset as the store gives it back: the frame, and what the loader needs around it."""

    frame: object  # pandas DataFrame, FRAME_COLUMNS
    length: int  # bytes of the file it was read from
    content: str  # digest of those bytes
    form: Form  # header, line endings
    row_problems: tuple[Problem, ...]  # warnings of single rows
    duplicate_problems: tuple[Problem, ...]  # "the same event as line N"
    actors: list  # [name, first line, events] per actor, in the order they first appear in the file
    date_order: str | None = None  # how its numeric dates were read (DMY, MDY, YMD), None without any
    actor_tuples: list | None = None  # the frame's distinct actor tuples, in the order they first appear


class Store:
    """The entries of one events file.

    ``share``: the events also kept as one Arrow file that every process maps
    (:mod:`timeline.shared`), for the workers of a server; entries are given back from it, so
    that the processes' frames share its pages instead of each holding a copy.
    """

    def __init__(self, events_path, root: Path | None = None, *, share: bool = False):
        root = root if root is not None else cache_root()
        self.folder = None
        self.share = share
        if root is not None and isinstance(events_path, (str, os.PathLike)):
            real = os.path.realpath(os.fspath(events_path))
            folder = Path(root) / digest(real.encode("utf-8", "surrogateescape"))[:20]
            try:  # raises UnsafeFolder for a folder another user could change
                check_if_present(root, what="store folder")
                check_if_present(folder, what="store folder")
            except NoFolder:
                return  # not a folder (a file in the way): no store, as when it is turned off
            self.folder = folder

    def _made(self) -> bool:
        try:
            private_folder(self.folder.parent, what="store folder")
            private_folder(self.folder, what="store folder")
        except NoFolder:
            return False
        return True

    @contextmanager
    def turn(self, timeout: float = TURN_TIMEOUT):
        """Hold the events file's turn to read it and store its events (a lock file in the folder);
        with no lock to be had in ``timeout`` seconds, or no folder to put it in, go on without."""
        with ExitStack() as turn:
            if self.folder is not None and self._made():
                try:
                    turn.enter_context(held(str(self.folder / "reading.lock"), timeout=timeout))
                except LockError:
                    pass  # read without the turn: the worst is reading the file twice
            yield

    def key(self, content: str, book_digest: str) -> str:
        return digest(f"{code_version()} {book_digest} {content}".encode())

    def newest_key(self, since: float) -> str | None:
        """The key of the newest Parquet entry, if it was written at ``since`` (a time) or later."""
        if self.folder is None:
            return None
        try:
            written = [(path.stat().st_mtime, path.stem) for path in self.folder.glob("*.parquet")]
        except OSError:
            return None
        if not written or max(written)[0] < since:
            return None
        return max(written)[1].rpartition("-")[0] or None

    def get(self, key: str) -> Entry | None:
        if self.folder is None:
            return None
        entry = self.mapped(key)
        if entry is not None:
            return entry
        for path in self.folder.glob(f"{key}-*.parquet"):
            # Every worker maps the file written from the entry, instead of making a frame of its own.
            entry = self.share and self._share(key, path) and self.mapped(key) or _read(path, key)
            if entry is not None:
                return entry
        return None

    def mapped(self, key: str) -> Entry | None:
        """The entry of ``key`` from the shared file (with ``share``), its frame made from the
        mapped pages; None without one that can be trusted."""
        found = shared.read(self.folder, key) if self.share and self.folder is not None else None
        if found is None:
            return None
        table, meta = found
        entry = _entry(table, meta)
        if entry is not None:
            shared.register(entry.frame, table)
        return entry

    def _share(self, key: str, path: Path) -> bool:
        """Write the shared file of ``key`` from the Parquet entry at ``path``, in a child process:
        reading and laying out a million events takes a few hundred MB, which a worker's allocators
        would keep (tens of MB) for as long as it runs. False when it could not be written."""
        here = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        try:
            done = subprocess.run([sys.executable, "-m", "timeline.store", str(path), key], env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=SHARE_TIMEOUT)
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0


    def prefix(self, data: bytes, book_digest: str) -> Entry | None:
        """The newest entry whose file is a beginning of ``data`` (rows appended since)."""
        if self.folder is None:
            return None
        try:
            candidates = sorted(self.folder.glob("*.parquet"), key=lambda p: p.lstat().st_mtime, reverse=True)
        except OSError:
            return None
        for path in candidates:
            meta = _meta(path)
            if not meta or meta.get("length", 0) >= len(data) or meta.get("book") != book_digest:
                continue
            if meta.get("key") != self.key(meta.get("content", ""), book_digest):
                continue  # another version's entry
            if digest(memoryview(data)[: meta["length"]]) == meta["content"]:  # no copy of the bytes
                return _read(path, meta["key"])
        return None

    def put(self, key: str, book_digest: str, entry: Entry) -> None:
        """Write an entry; a cache that cannot be written is no error (the events were read)."""
        if self.folder is None:
            return
        meta = {
            "format": FORMAT, "key": key, "book": book_digest, "length": entry.length, "content": entry.content,
            "header": list(entry.form.header), "bom": entry.form.bom, "newline": entry.form.newline,
            "ends_with_newline": entry.form.ends_with_newline,
            "row_problems": [_problem(p) for p in entry.row_problems],
            "duplicate_problems": [_problem(p) for p in entry.duplicate_problems],
            "date_order": entry.date_order,
            "actors": [list(actor) for actor in entry.actors],
            # Text columns whose values mostly differ (titles, notes): read back as plain strings.
            "plain": [name for name in TEXT_COLUMNS if not isinstance(entry.frame[name].dtype, pd.CategoricalDtype)],
        }
        try:
            import pyarrow.parquet as pq

            if not self._made():
                return
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            os.close(handle)
            try:
                frame, writer = entry.frame, None
                codes, sets = _actor_sets(frame["actors"].to_numpy())
                # A slice at a time: the Arrow copy of a million titles is never whole in memory.
                for start in range(0, max(len(frame), 1), ROW_GROUP):
                    stop = start + ROW_GROUP
                    part = _to_arrow(frame.iloc[start:stop], codes[start:stop], sets)
                    if writer is None:
                        schema = part.schema.with_metadata({b"timeline": json.dumps(meta).encode()})
                        writer = pq.ParquetWriter(temporary, schema, compression="zstd")
                    writer.write_table(part.cast(schema))
                writer.close()
                with open(temporary, "rb") as written:
                    # Read in pieces: a large entry is never whole in memory here.
                    total = hashlib.file_digest(written, "sha256").hexdigest()[:40]
                path = self.folder / f"{key}-{total}.parquet"
                os.replace(temporary, path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
            self._prune()
        except OSError:
            return
        if self.share:
            self._share(key, path)

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.parquet"), key=lambda p: p.lstat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
        remove_stale_parts(self.folder)


def share_entry(path: Path, key: str) -> bool:
    """Write the shared file of ``key`` beside the Parquet entry at ``path`` (the child process of
    :meth:`Store._share`); False when the entry cannot be trusted or the file cannot be written."""
    table = _read_table(path, key)
    if table is None:
        return False
    try:
        shared.write(path.parent, key, table, _stored_meta(table))
    except Exception:  # noqa: BLE001 - a full disk, or Arrow refusing (text past 2 GB): Parquet still serves
        return False
    shared.prune(path.parent)
    return True


# --- the Parquet layout -----------------------------------------------------------------

def _to_arrow(frame, actor_codes: np.ndarray, actor_sets):
    """The frame as an Arrow table: days as date32, actors as a list of names (and ``ACTOR_CODE``,
    which of ``actor_sets`` each row names), the rest strings."""
    import pyarrow as pa

    columns = {}
    for name in frame.columns:
        if name in _DATE_COLUMNS:
            columns[name] = pa.array(frame[name].to_numpy().astype("datetime64[D]"), type=pa.date32())
        elif name == "actors":
            columns[name] = actor_sets.take(pa.array(actor_codes))
        elif name in TEXT_COLUMNS:
            columns[name] = text_to_arrow(frame[name])
        else:
            columns[name] = pa.array(frame[name].to_numpy())
    columns[ACTOR_CODE] = pa.array(actor_codes, type=pa.int32())
    return pa.table(columns)


def _actor_sets(values: np.ndarray):
    """(codes, sets) of a column of actor tuples: each row's code, numbering the distinct tuples
    in the order they first appear, and those tuples as Arrow lists of names (a few tens of
    thousands of a million rows)."""
    import pyarrow as pa

    codes, distinct = pd.factorize(values)
    return codes, pa.array([list(names) for names in distinct], type=pa.list_(pa.string()))


def _actors_of(names, codes: np.ndarray) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """(the frame's actors column, its distinct tuples in the order they first appear) from the
    stored lists of names and the code of each row: the distinct tuples are read from the rows
    where each code first appears, and every row shares its tuple (no per-row list is read)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Codes number the tuples as they first come: a row holds a new tuple where its code passes
    # every code above it, by exactly one.
    firsts = first_rows(codes)
    if len(codes) and (codes.min() < 0 or not np.array_equal(codes[firsts], np.arange(len(firsts)))):
        raise ValueError("actor codes out of order")
    lists = names.take(pa.array(firsts))
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    flat = lists.flatten().to_pylist()
    ends = np.cumsum(pc.list_value_length(lists).to_numpy(zero_copy_only=False)).tolist()
    distinct = [tuple(flat[begin:end]) for begin, end in zip([0, *ends[:-1]], ends)]
    tuples = np.fromiter(distinct, dtype=object, count=len(distinct))
    return tuples[codes], distinct


def _numpy(column) -> np.ndarray:
    """A column's values as numpy: viewed where they lie when in one piece without nulls (the
    shared file's pages), else copied."""
    if column.num_chunks == 1 and not column.null_count:
        return column.chunk(0).to_numpy(zero_copy_only=False)
    return column.to_numpy(zero_copy_only=False)


def _from_arrow(table):
    """(frame, its distinct actor tuples in the order they first appear) of an entry's table."""
    import pyarrow as pa

    from .schema import FRAME_COLUMNS

    distinct = []

    def series(name: str) -> pd.Series:
        column = table[name]
        if name in _DATE_COLUMNS:
            # date32 from Parquet; timestamp[ns] from the shared file, viewed where mapped (no NaT in it)
            days = _numpy(column)
            return pd.Series(days.astype("datetime64[ns]", copy=False), dtype="datetime64[ns]", copy=False)
        if name == "actors":
            actors, found = _actors_of(column, _numpy(table[ACTOR_CODE]))
            distinct.extend(found)
            return pd.Series(actors, dtype=object, copy=False)
        if name == "id":
            return pd.Series(_numpy(column).astype(np.int64, copy=False), copy=False)
        plain = name not in VOCABULARIES and not pa.types.is_dictionary(column.type)
        return pd.Series(strings(column) if plain else text_from_arrow(column, VOCABULARIES.get(name)), copy=False)

    # Columns made two at a time: most of the work (dates widened, codes gathered) lets go of the
    # GIL, and a restart's other core is otherwise idle by now.
    with ThreadPoolExecutor(max_workers=2) as workers:
        made = {name: workers.submit(series, name) for name in FRAME_COLUMNS}
        data = {name: made[name].result() for name in FRAME_COLUMNS}
    return pd.DataFrame(data, columns=list(FRAME_COLUMNS), copy=False), distinct


def _meta(path: Path) -> dict | None:
    if path.is_symlink():
        return None
    try:
        import pyarrow.parquet as pq

        metadata = pq.read_schema(path).metadata or {}
        meta = json.loads(metadata[b"timeline"])
        return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None
    except Exception:  # noqa: BLE001 - a truncated, foreign or corrupt file: not ours to trust
        return None


def _read(path: Path, key: str) -> Entry | None:
    table = _read_table(path, key)
    return _entry(table, _stored_meta(table)) if table is not None else None


def _read_table(path: Path, key: str):
    """The Arrow table of the entry at ``path``, None unless it is a whole entry of ``key``."""
    data = read_private(path)  # never through a symlink
    if data is None or _sum(data) != path.stem.rpartition("-")[2]:
        return None  # cut, altered or planted: read the events file instead
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        footer = pq.read_metadata(pa.BufferReader(data))
        meta = json.loads((footer.schema.to_arrow_schema().metadata or {})[b"timeline"])
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        # Strings that repeat come back dictionary-encoded, as Parquet stores them (codes, each value
        # once); the mostly distinct ones plain, as the frame keeps them. Read as one file, not as a
        # dataset (pq.read_table), which would import and set up Arrow's datasets for it.
        plain = set(meta.get("plain", ()))
        table = pq.ParquetFile(pa.BufferReader(data), metadata=footer,
                               read_dictionary=[c for c in TEXT_COLUMNS if c not in plain]).read()
        del data
        return table
    except Exception:  # noqa: BLE001 - corrupt or foreign: ignored, and rewritten by the next full read
        return None


def _stored_meta(table) -> dict:
    try:
        meta = json.loads((table.schema.metadata or {})[b"timeline"])
    except (KeyError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _entry(table, meta: dict) -> Entry | None:
    """The entry of an entry's ``table`` and what was stored beside it."""
    try:
        frame, actor_tuples = _from_arrow(table)
        return Entry(
            frame=frame, length=int(meta["length"]), content=meta["content"],
            form=Form(tuple(meta["header"]), bool(meta["bom"]), meta["newline"], bool(meta["ends_with_newline"])),
            row_problems=tuple(Problem(*p) for p in meta["row_problems"]),
            duplicate_problems=tuple(Problem(*p) for p in meta["duplicate_problems"]),
            actors=[(str(a), int(line), int(count)) for a, line, count in meta["actors"]],
            date_order=meta.get("date_order"), actor_tuples=actor_tuples,
        )
    except Exception:  # noqa: BLE001 - corrupt or foreign: ignored, and rewritten by the next full read
        return None


def _problem(problem: Problem) -> list:
    # A summary (of many warnings of one kind) keeps how many it stands for and its last line.
    summed = [problem.count, problem.last] if problem.summed else []
    return [problem.file, problem.line, problem.column, problem.message, problem.warning, *summed]


if __name__ == "__main__":  # Store._share's child: python -m timeline.store ENTRY KEY
    sys.exit(0 if share_entry(Path(sys.argv[1]), sys.argv[2]) else 1)
