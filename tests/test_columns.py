"""How the frame holds its text (timeline/columns.py): codes or Arrow strings, never a Python
string per row, and the same values whichever way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from timeline.actors import fold
from timeline.columns import categorical, concat, first_rows, fold_keys, from_arrow, strings, to_arrow
from timeline.schema import KINDS

SPELLINGS = ["U.S. talks", "us  talks", " US\ttalks ", "Straße", "STRASSE", "strasse", "a\x1cb", "a b",
             "Ünion", "ünion", "x.y", "xy", "", " ", "ﬁre", "fire", "A\u00a0B", "Київ", "КИЇВ"]


@pytest.mark.parametrize("make", [strings, lambda v: categorical(np.arange(len(v)), v)], ids=["arrow", "codes"])
def test_fold_keys_are_equal_when_folded_texts_are_and_exact_for_codes(make):
    values = [a for a in SPELLINGS for _ in range(2)]
    codes, exact = fold_keys(make(values))
    folded = [fold(v) for v in values]
    for i in range(len(values)):
        for j in range(len(values)):
            if folded[i] == folded[j] or exact:
                assert (codes[i] == codes[j]) == (folded[i] == folded[j]), (values[i], values[j])


@pytest.mark.parametrize("block", [1 << 20, 64, 1], ids=["one block", "blocks", "a text a block"])
def test_fold_keys_of_arrow_strings_hash_the_folded_text_wherever_it_lies(monkeypatch, block):
    """Texts hashed in blocks of bytes, from an Arrow array that starts part-way into its buffers:
    two texts share a key when they fold alike, and (64 bits) only then."""
    import random

    import timeline.columns

    monkeypatch.setattr(timeline.columns, "_HASH_BYTES", block)
    rng = random.Random(block)
    pieces = ["talks", "Talks", "TALKS", "U.S.", "us", " ", "  ", "\t", ".", "Київ", "ß", "ss", "\x1c", "\u00a0", "é"]
    values = ["".join(rng.choice(pieces) for _ in range(rng.randrange(4))) for _ in range(3000)]
    arrow = pa.array(["skipped", *values], type=pa.large_string()).slice(1)
    codes, exact = fold_keys(pd.array(arrow, dtype="str"))
    assert not exact
    by_fold: dict[str, int] = {}
    for value, code in zip(values, codes.tolist()):
        assert by_fold.setdefault(fold(value), code) == code, value
    assert len(set(codes.tolist())) == len(by_fold)
    assert arrow.offset == 1
    hashes = timeline.columns._hashes
    assert hashes(arrow).tolist() == hashes(pa.array(values, type=pa.large_string())).tolist()


@pytest.mark.parametrize("values, vocabulary, kind", [
    (["talks", "meeting", "talks"], KINDS, "codes"),  # a vocabulary: always codes, in its order
    (["a", "a", "a", "b"], None, "codes"),  # values that repeat
    (["a", "b", "c", "d"], None, "arrow"),  # values that differ
])
def test_from_arrow_keeps_repeating_values_as_codes_and_the_others_as_arrow_strings(values, vocabulary, kind):
    column = from_arrow(pa.array(values), vocabulary)
    assert isinstance(column, pd.Categorical) == (kind == "codes")
    assert list(column) == values
    if vocabulary:
        assert list(column.categories) == list(vocabulary)
    assert to_arrow(pd.Series(column)).to_pylist() == values


def test_concat_keeps_codes_and_arrow_strings_with_their_values():
    one = pd.DataFrame({"title": strings(["a", "b"]), "location": categorical(np.array([0, 0]), ["Kyiv"]),
                        "kind": categorical(np.array([0, 1]), ["talks", "meeting"], KINDS)})
    two = pd.DataFrame({"title": categorical(np.array([0]), ["c"]), "location": categorical(np.array([0]), ["Geneva"]),
                        "kind": categorical(np.array([0]), ["other"], KINDS)})
    both = concat([one, two])
    assert both["title"].tolist() == ["a", "b", "c"]
    assert both["location"].tolist() == ["Kyiv", "Kyiv", "Geneva"]
    assert isinstance(both["location"].dtype, pd.CategoricalDtype)
    assert both["location"].cat.categories.dtype == object  # gathering rows gathers references
    assert list(both["kind"].cat.categories) == list(KINDS)
    assert both["kind"].tolist() == ["talks", "meeting", "other"]


def test_concat_of_categoricals_with_the_same_categories_in_another_order_keeps_each_value():
    one = pd.DataFrame({"title": categorical(np.array([0, 1]), ["a", "b"])})
    two = pd.DataFrame({"title": categorical(np.array([0, 1]), ["b", "a"])})
    assert concat([one, two])["title"].tolist() == ["a", "b", "b", "a"]


@pytest.mark.parametrize("values", [[], ["a"], ["b", "a", "b", "c", "a"], list("aaaa"), list("abcd"), list("abab")])
def test_first_rows_are_where_each_code_first_appears(values):
    codes, _ = pd.factorize(pd.Series(values, dtype=object))
    assert first_rows(codes).tolist() == [values.index(v) for v in dict.fromkeys(values)]
