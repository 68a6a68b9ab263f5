"""One copy of the events for every worker of a server: an Arrow IPC file each one maps.

Read from the Parquet entry of :mod:`timeline.store`, every worker would hold its own copy
of a million events. Mapped from one uncompressed Arrow IPC (Feather v2) file, the pages are
the operating system's page cache, held once however many workers map them, and each
worker's columns point into them.

The file sits beside the Parquet entries, named ``<key>-<sum>.arrow``: the key says which
events file, actors file and code it holds (the store's key), the sum is the SHA-256 of its
bytes. Before it is mapped it is opened without following a symlink, must be a regular file
of ours, its bytes are digested as they stream by (never held in the process's own memory)
and its stored key compared: a truncated, altered or foreign file is ignored, and the next
read writes it again. It is written to a temporary file renamed into place, and a named file
is never written again, so a worker that mapped one version keeps reading exactly that one
while another maps the next; a removed file's pages stay until its last worker lets go.

Text that repeats (kinds, places, sources) is kept as a dictionary and codes. The text a search
looks in, when nearly every event has its own (titles), is also kept lower-cased, each value ended
by a NUL (``lower:title``): its bytes are the one long text a search scans (filters.SearchText),
so that no worker lowers and holds a million titles of its own.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import sys
import tempfile
import weakref
from pathlib import Path

import numpy as np

from .private import map_private

FORMAT = 1  # bump when the layout of the file changes
SUFFIX = ".arrow"
KEEP = 2  # files kept per events file: the current version, and the one a slower worker may still map
SEARCHED = ("title", "notes", "location")  # the fields a search looks in (filters.SearchText)
LOWER = "lower:"  # prefix of the column holding a searched field's lower-cased text
_META = b"timeline-shared"


def write(folder: Path, key: str, table, entry: dict) -> Path:
    """Write ``table`` (the store's Arrow layout) and ``entry`` (what the store keeps beside the
    events) as the shared file of ``key``; raises OSError or an Arrow error when it cannot (then
    the workers read the Parquet entry instead)."""
    import pyarrow as pa

    table = _compact(table)
    meta = {"format": FORMAT, "key": key, "rows": table.num_rows, "entry": entry}
    table = table.replace_schema_metadata({_META: json.dumps(meta).encode()})
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            # One record batch: a column in one piece is viewed by numpy and pandas without a copy.
            with pa.ipc.new_file(out, table.schema) as writer:
                writer.write_table(table, max_chunksize=max(table.num_rows, 1))
        with open(temporary, "rb") as written:
            total = hashlib.file_digest(written, "sha256").hexdigest()
        path = folder / f"{key}-{total}{SUFFIX}"
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def read(folder: Path, key: str):
    """(table, entry) of the shared file of ``key``, its columns in the mapped pages; None when
    there is none that can be trusted."""
    for path in folder.glob(f"{key}-*{SUFFIX}"):
        found = _mapped(path, key)
        if found is not None:
            return found
    return None


def prune(folder: Path, keep: int = KEEP) -> None:
    """Remove all but the ``keep`` newest shared files (a worker mapping one keeps its pages)."""
    try:
        files = sorted((p for p in folder.glob(f"*{SUFFIX}") if not p.is_symlink()),
                       key=lambda p: p.lstat().st_mtime_ns, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def _mapped(path: Path, key: str):
    pages = map_private(path, path.name[: -len(SUFFIX)].rpartition("-")[2])
    if pages is None:
        return None
    try:
        import pyarrow as pa

        # The buffer keeps the mapping alive for as long as any column points into it.
        table = pa.ipc.open_file(pa.py_buffer(pages)).read_all()
        meta = json.loads((table.schema.metadata or {})[_META])
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("key") != key \
                or meta.get("rows") != table.num_rows or not isinstance(meta.get("entry"), dict):
            return None
        return table, meta["entry"]
    except Exception:  # noqa: BLE001 - not an Arrow file of ours: ignored, and written again
        return None


def _compact(table):
    """``table`` with each text column in one piece: a dictionary of its distinct values when they
    repeat, plain text when nearly every row has its own; and a lower-cased copy of each searched
    column that is plain text (a dictionary's values are lowered when mapped: a few thousand)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns, names = [], []
    for name in table.column_names:
        column = table[name]
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            plain = column.cast(kind) if pa.types.is_dictionary(column.type) else column
            distinct = pc.count_distinct(plain).as_py()
            if distinct <= max(len(plain) // 2, 1):
                # Codes as narrow as pandas keeps a categorical's, which can then view them as they are.
                width = pa.int8() if distinct < 2**7 else pa.int16() if distinct < 2**15 else pa.int32()
                column = pc.dictionary_encode(plain).cast(pa.dictionary(width, kind)).combine_chunks()
                column = pa.chunked_array([column])
            else:
                column = pa.chunked_array([plain.combine_chunks()], type=kind)
                if name in SEARCHED:
                    ended = pc.binary_join_element_wise(lowered(column.chunk(0)), "\x00", "")
                    columns.append(pa.chunked_array([ended]))
                    names.append(LOWER + name)
        elif pa.types.is_date32(column.type):
            # Days as the frame holds them (datetime64[ns]): a worker's frame views them where mapped.
            column = pa.chunked_array([column.combine_chunks().cast(pa.timestamp("ns"))])
        else:
            column = pa.chunked_array([column.combine_chunks()], type=column.type)
        columns.append(column)
        names.append(name)
    return pa.table(columns, names=names)


def lowered(values):
    """Python's ``str.lower`` of each value, as Arrow text: what a search compares with.

    Arrow lower-cases a character at a time, as Python does for ASCII and most letters; a
    non-ASCII value may differ (a capital sigma at a word's end, a dotted capital I that
    lowers to two characters), so those alone are lowered by Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.fill_null(values, "")
    lower = pc.utf8_lower(values)
    other = np.flatnonzero(~pc.string_is_ascii(values).to_numpy(zero_copy_only=False))
    if len(other):
        fixed = pa.array([v.lower() for v in values.take(pa.array(other)).to_pylist()], type=values.type)
        mask = np.zeros(len(values), dtype=bool)
        mask[other] = True
        lower = pc.replace_with_mask(lower, pa.array(mask), fixed)
    return lower


def search_text(table, name: str):
    """A searched field of a mapped table, as filters.SearchText reads it: (text, starts) with
    text the lower-cased values each ended by NUL in UTF-8, viewed in the mapped pages, and each
    value's offset in it; or (values, codes) for a field whose values repeat: the distinct ones,
    and each event's. None when the table keeps neither."""
    import pyarrow as pa

    if name not in table.column_names or table[name].num_chunks != 1:
        return None
    column = table[name].chunk(0)
    if pa.types.is_dictionary(column.type) and not column.null_count:
        return column.dictionary.to_pylist(), column.indices.to_numpy()
    ended = table[LOWER + name] if LOWER + name in table.column_names else None
    if ended is None or ended.num_chunks != 1 or ended.type != pa.string() or ended.null_count:
        return None
    ended = ended.chunk(0)
    _, offsets, data = ended.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32, count=len(ended) + 1, offset=4 * ended.offset)
    return memoryview(data)[starts[0]:starts[-1]], starts[:-1] - starts[0] if starts[0] else starts[:-1]


def release_freed() -> None:
    """Give back to the system what a load freed. Arrow's pool and C's allocator keep freed
    memory for reuse, between the objects still alive; a worker then holds its frame for hours,
    and a first read of a million events leaves a hundred MB or more so kept."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's; other C libraries have none
    except (OSError, AttributeError):
        return
    trim(0)


# Which frame was made from which mapped table: weak, so that an entry goes with its frame.
_TABLES: dict[int, tuple[weakref.ref, object]] = {}


def register(frame, table) -> None:
    """Remember that ``frame`` holds the events of the mapped ``table`` (for :func:`table_of`)."""
    key = id(frame)
    _TABLES[key] = (weakref.ref(frame, lambda _, key=key: _TABLES.pop(key, None)), table)


def table_of(frame):
    """The mapped table ``frame`` was made from, or None (a frame of this process's own)."""
    found = _TABLES.get(id(frame))
    return found[1] if found is not None and found[0]() is frame else None
