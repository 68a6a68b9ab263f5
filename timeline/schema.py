"""The vocabulary of events.csv and the shape of the normalized events table.

The normalized table (``Dataset.frame``, built by :mod:`timeline.events`) is a
pandas DataFrame with one row per event and these columns. Texts are held as
:mod:`timeline.columns` says: a categorical (a code per row, each distinct value
once) where values repeat, pandas' Arrow-backed ``str`` where they mostly differ
(titles, notes); read them with pandas' own operations (``iloc``, ``tolist``, ``==``).

=============  =================  ==============================================
column         dtype              meaning
=============  =================  ==============================================
id             int64              physical line where the row starts (stable
                                  when editors append rows)
title          text               as written
actors         object (tuple)     canonical actor names, in the row's order (a
                                  few thousand distinct tuples, shared by rows)
kind           category (KINDS)   one of KINDS
status         category           one of STATUSES
start          datetime64[ns]     first day covered (midnight)
end            datetime64[ns]     last day covered, inclusive (midnight)
precision      category           one of PRECISIONS
date_text      text               the ``date`` cell as the editor wrote it
end_text       text               the ``end_date`` cell as written ("" if none)
reported       datetime64[ns]     the story's date (NaT if none)
location       text               "" when blank
source         text               "" when blank
url            text               absolute http(s) URL or ""
notes          text               "" when blank
=============  =================  ==============================================
"""

REQUIRED_COLUMNS = ("date", "title", "actors")
OPTIONAL_COLUMNS = (
    "end_date",
    "reported",
    "kind",
    "status",
    "location",
    "source",
    "url",
    "notes",
    "language",  # a dateparser language code pinning the row's dates; detected when blank
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# The longest cell each column takes, in characters; a longer one is an error on its line.
# They bound the work a hostile or mangled file can cause (a date is parsed in several
# passes, a 5 MB one took a minute) and sit far above anything a story needs.
MAX_LENGTH = {
    "date": 200,
    "end_date": 200,
    "reported": 200,
    "title": 1_000,
    "actors": 2_000,
    "kind": 50,
    "status": 50,
    "location": 500,
    "source": 1_000,
    "url": 2_000,
    "notes": 1_000_000,
    "language": 50,
}

# Order matters: it is the order of legends and menus.
KINDS = (
    "talks",
    "meeting",
    "summit",
    "travel",
    "proposal",
    "statement",
    "deadline",
    "agreement",
    "election",
    "sanction",
    "military",
    "other",
)
DEFAULT_KIND = "other"

STATUSES = ("happened", "planned", "proposed", "cancelled")
DEFAULT_STATUS = "happened"
# Statuses whose weekday and holiday phrases point forward from the reported date.
FORWARD_STATUSES = frozenset({"planned", "proposed", "cancelled"})

PRECISIONS = ("day", "week", "month", "year")

ACTOR_SEPARATOR = ";"

FRAME_COLUMNS = (
    "id",
    "title",
    "actors",
    "kind",
    "status",
    "start",
    "end",
    "precision",
    "date_text",
    "end_text",
    "reported",
    "location",
    "source",
    "url",
    "notes",
)
