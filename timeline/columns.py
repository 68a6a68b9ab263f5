"""How the events frame holds its text: codes plus distinct values where values repeat, Arrow
strings where they do not.

A million events name a dozen kinds, a few hundred places and a few hundred thousand date
texts: such a column is a pandas ``Categorical`` (a small code per row, each distinct text once,
as an object Index, so that gathering rows gathers references and makes no string). Titles and
notes mostly differ: they are pandas' Arrow-backed ``str`` (one buffer of UTF-8 and the offsets),
never a Python string per row. Columns with a fixed vocabulary (kind, status, precision) are
categoricals of that vocabulary, in its order, whatever the file holds.

Code that reads the frame uses pandas' own operations (``iloc``, ``tolist``, ``==``, ``.str``),
which work on both, and takes the rows it shows before asking for Python strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .actors import fold
from .csvfile import code_type
from .schema import KINDS, PRECISIONS, STATUSES

VOCABULARIES = {"kind": KINDS, "status": STATUSES, "precision": PRECISIONS}
_BLOCK = 1 << 16  # rows of a column made Python strings at once
TEXT_COLUMNS = ("title", "kind", "status", "precision", "date_text", "end_text", "location", "source", "url",
                "notes")


def _objects(items) -> np.ndarray:
    return np.fromiter(items, dtype=object, count=len(items))


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbered as they first come (as ``pd.factorize``
    numbers them): a new code is where the highest code so far grows. One pass, no sort."""
    return np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)


def categorical(codes: np.ndarray, distinct, vocabulary: tuple[str, ...] | None = None) -> pd.Categorical:
    """A column from a code per row and the value of each code (values may repeat: two
    spellings that read the same); with ``vocabulary``, its categories, which every value is in."""
    if vocabulary is not None:
        position = {value: code for code, value in enumerate(vocabulary)}
        lookup = np.fromiter((position[value] for value in distinct), dtype=np.int8, count=len(distinct))
        categories = vocabulary
    else:
        lookup, categories = pd.factorize(_objects(distinct))
        lookup = lookup.astype(code_type(len(categories)), copy=False)
    return pd.Categorical.from_codes(lookup[codes] if len(lookup) else np.zeros(len(codes), dtype=np.int8),
                                     dtype=pd.CategoricalDtype(pd.Index(_objects(categories), dtype=object)))


def strings(values) -> pd.api.extensions.ExtensionArray:
    """Arrow strings (an Arrow array, or Python strings) as pandas' Arrow-backed ``str``."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        return pd.array(values, dtype="str")
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


def from_arrow(values, vocabulary: tuple[str, ...] | None = None):
    """An Arrow column of strings (plain or dictionary-encoded, without nulls) as a frame column:
    categorical when its values repeat (or ``vocabulary`` is given), else Arrow-backed ``str``."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    encoded = values if pa.types.is_dictionary(values.type) else values.dictionary_encode()
    if vocabulary is None and len(encoded.dictionary) * 2 > len(encoded):
        return strings(encoded)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    distinct = encoded.dictionary.to_pylist()
    if vocabulary is None and len(set(distinct)) == len(distinct):
        # The codes as they are (in a mapped file, its pages), unless pandas keeps them narrower.
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(_objects(distinct), dtype=object)))
    return categorical(codes, distinct, vocabulary)


def to_arrow(column: pd.Series):
    """A frame text column as Arrow strings (as the store and DuckDB read them)."""
    import pyarrow as pa

    values = column.array
    if isinstance(values, pd.Categorical):
        return pa.DictionaryArray.from_arrays(pa.array(values.codes), pa.array(values.categories.to_numpy(object),
                                                                               type=pa.string())).cast(pa.string())
    return pa.array(values, type=pa.string()) if values.dtype != object \
        else pa.array(np.asarray(values, dtype=object), type=pa.string())


def fold_keys(values) -> tuple[np.ndarray, bool]:
    """Per row, a key of its text folded (:func:`actors.fold`), and whether keys are exact.

    A categorical's distinct values are folded once each, and two rows share a key exactly when
    their texts fold alike. Other texts are keyed by a hash of the folded text: equal when the
    folded texts are, and, rarely, when not (compare the texts of rows that share a key). Arrow
    strings are hashed by numpy where Arrow's kernels show that folding is lower-casing (ASCII,
    no dot, no whitespace but single spaces between words), and folded by Python elsewhere."""
    if isinstance(values, pd.Categorical):
        keys, _ = pd.factorize(_objects([fold(value) for value in values.categories.tolist()]))
        return (keys[values.codes] if len(keys) else np.zeros(len(values), dtype=np.int64)), True
    arrow = getattr(values, "_pa_array", None)  # pandas' Arrow-backed str
    if arrow is not None:
        return arrow_fold_keys(arrow), False
    count = len(values)
    return np.fromiter((hash(fold(text)) for start in range(0, count, _BLOCK)
                        for text in values[start:start + _BLOCK].tolist()), dtype=np.int64, count=count), False


def arrow_fold_keys(texts) -> np.ndarray:
    """:func:`fold_keys` of Arrow strings (no nulls): each text's folded UTF-8 hashed by
    :func:`_hashes`. A text of printable ASCII without a dot, a double space or a space at either
    end folds to itself lower-cased (``str.split`` splits on nothing else in it), which the hash
    does as it reads the bytes; only the other texts are folded by Python, one by one."""
    import pyarrow as pa

    # A chunk at a time, as they lie: no copy of a million titles.
    chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
    hashes = np.concatenate([_hashes(chunk.cast(pa.large_string())) for chunk in chunks] or [np.zeros(0, np.int64)])
    other = np.flatnonzero(np.concatenate([_folded_otherwise(chunk) for chunk in chunks] or [np.zeros(0, bool)]))
    if len(other):
        refolded = [fold(text) for text in texts.take(pa.array(other)).to_pylist()]
        hashes[other] = _hashes(pa.array(refolded, type=pa.large_string()))
    return hashes


# Bytes looked at at once: the work arrays of a block stay below malloc's threshold for fresh
# pages, so each block reuses the last one's (a whole column's would be fresh pages each time).
_BYTE_BLOCK = 2 << 20


def byte_positions(data: np.ndarray, condition) -> np.ndarray:
    """The positions in ``data`` (bytes, as uint8) where ``condition`` holds, ascending.
    ``condition(block)`` gives a bool per byte of ``block``, or per pair of neighbours (one
    fewer): each block is given one byte past its end, so pairs across its end are seen."""
    found = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(data), _BYTE_BLOCK):
        marked = condition(data[start:start + _BYTE_BLOCK + 1])[:_BYTE_BLOCK]
        found.append(np.flatnonzero(marked) + start)
    return np.concatenate(found)


def _not_plain(block: np.ndarray) -> np.ndarray:
    """Bytes a text that folds to itself lower-cased never holds: any but printable ASCII, and the dot."""
    marked = block < 0x20
    marked |= block > 0x7E
    marked |= block == 0x2E
    return marked


def _two_spaces(block: np.ndarray) -> np.ndarray:
    return (block[:-1] == 0x20) & (block[1:] == 0x20)


def arrow_bytes(texts) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of an Arrow string array as numpy arrays, without a copy: text i is
    bytes[offsets[i]:offsets[i + 1]]."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    offsets = np.frombuffer(texts.buffers()[1], dtype=width)[texts.offset:texts.offset + len(texts) + 1]
    data = texts.buffers()[2]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


def _folded_otherwise(texts) -> np.ndarray:
    """Per text of an Arrow string array, whether :func:`fold` may do more than lower-case it: a
    byte but printable ASCII, a dot, two spaces in a row, or a space at either end (a few more,
    where two spaces span two texts: those are folded by Python, to the same key)."""
    offsets, data = arrow_bytes(texts)
    count = len(offsets) - 1
    if not count or offsets[-1] == offsets[0]:
        return np.zeros(count, dtype=bool)
    data = data[offsets[0]:offsets[-1]]
    at = np.concatenate((byte_positions(data, _not_plain), byte_positions(data, _two_spaces)))
    other = np.zeros(count, dtype=bool)
    other[np.searchsorted(offsets, at + offsets[0], side="right") - 1] = True
    filled = offsets[1:] > offsets[:-1]
    other |= filled & (data[np.minimum(offsets[:-1], offsets[-1] - 1) - offsets[0]] == 0x20)
    other |= filled & (data[np.maximum(offsets[1:] - 1, offsets[0]) - offsets[0]] == 0x20)
    return other


_HASH_BASE = 0x100000001B3  # FNV's prime: odd, so that its powers have inverses modulo 2**64
_HASH_BYTES = 1 << 18  # bytes of text hashed at once: the work arrays are 33 bytes a byte of it
# Each byte as the hash reads it: ASCII letters lower-cased.
_HASH_BYTE = (np.arange(256) + 32 * ((np.arange(256) >= 65) & (np.arange(256) <= 90))).astype(np.uint8)


def _powers(base: int, count: int) -> np.ndarray:
    """base**0 .. base**(count - 1) modulo 2**64."""
    powers = np.empty(max(count, 1), dtype=np.uint64)
    powers[0] = 1
    done = 1
    with np.errstate(over="ignore"):
        while done < count:
            step = min(done, count - done)
            np.multiply(powers[:step], powers[done - 1] * np.uint64(base), out=powers[done:done + step])
            done += step
    return powers


def _hashes(texts) -> np.ndarray:
    """A 64-bit hash of each Arrow large_string's UTF-8 bytes, its ASCII letters lower-cased, with
    numpy and no Python per row: the sum of byte * base**place (modulo 2**64), plus the length.
    Each byte is weighted by its place in a block of text, and a text's sum is brought back to
    its own first place by the inverse of the base's power there, so that equal texts hash alike
    wherever they lie."""
    count = len(texts)
    hashes = np.zeros(count, dtype=np.uint64)
    offsets, data = arrow_bytes(texts)
    if not count or offsets[-1] == offsets[0]:
        return hashes.view(np.int64)
    # Blocks of rows of about _HASH_BYTES bytes (one longer text makes a block of its own).
    cuts = np.searchsorted(offsets, np.arange(offsets[0], offsets[-1], _HASH_BYTES), side="right") - 1
    cuts = np.unique(np.concatenate(([0], cuts, [count]))).tolist()
    longest = int(np.diff(offsets[cuts]).max())
    up = _powers(_HASH_BASE, longest + 1)
    down = _powers(pow(_HASH_BASE, -1, 2**64), longest + 1)
    read = np.empty(longest, dtype=np.uint8)
    weighted, sums = np.empty(longest, dtype=np.uint64), np.zeros(longest + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for first, last in zip(cuts[:-1], cuts[1:]):
            bounds = offsets[first:last + 1] - offsets[first]
            size = int(bounds[-1])
            np.take(_HASH_BYTE, data[offsets[first]:offsets[last]], out=read[:size])
            np.multiply(read[:size], up[1:size + 1], out=weighted[:size])
            np.cumsum(weighted[:size], out=sums[1:size + 1])
            hashes[first:last] = (sums[bounds[1:]] - sums[bounds[:-1]]) * down[bounds[:-1]] \
                + np.diff(bounds).astype(np.uint64)
    return hashes.view(np.int64)


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after the other, each text column kept as codes or Arrow strings (pandas makes
    objects of categoricals whose categories differ)."""
    frames = [frame for frame in frames if len(frame)] or frames[:1]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    data = {}
    for name in frames[0].columns:
        parts = [frame[name].array for frame in frames]
        first = parts[0]
        # The same categories in the same order (equal dtypes of unordered categoricals may differ in it)
        if all(isinstance(p, pd.Categorical) and isinstance(first, pd.Categorical)
               and p.categories.equals(first.categories) for p in parts):
            data[name] = pd.Categorical.from_codes(np.concatenate([p.codes for p in parts]), dtype=first.dtype)
        elif name in VOCABULARIES:  # a frame made by hand, its kinds as text
            data[name] = pd.Categorical(np.concatenate([np.asarray(p, dtype=object) for p in parts]),
                                        categories=pd.Index(VOCABULARIES[name], dtype=object))
        elif name in TEXT_COLUMNS and all(isinstance(p, pd.Categorical) for p in parts):
            data[name] = _union(parts)
        elif name in TEXT_COLUMNS:
            import pyarrow as pa

            data[name] = strings(pa.chunked_array([to_arrow(pd.Series(p)) for p in parts]).combine_chunks())
        else:
            data[name] = pd.concat([frame[name] for frame in frames], ignore_index=True)
    return pd.DataFrame(data, columns=frames[0].columns)


def _union(parts: list[pd.Categorical]) -> pd.Categorical:
    """Categoricals one after the other, their categories merged (pandas' union_categoricals
    would make Arrow strings of them, which gathering rows turns into a Python string per row)."""
    index: dict[str, int] = {}
    codes = []
    for part in parts:
        categories = part.categories.to_numpy(dtype=object)
        mapping = np.fromiter((index.setdefault(value, len(index)) for value in categories.tolist()),
                              dtype=np.int64, count=len(categories))
        codes.append(mapping[part.codes] if len(mapping) else part.codes.astype(np.int64))
    return categorical(np.concatenate(codes), list(index))
