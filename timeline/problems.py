"""The one error type: a problem at a place in a file, and the exception that carries them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Problems of a file listed one by one; the others are summed up by kind, so that a file of
# ten million bad rows costs a summary, not ten million messages held and printed.
LIMIT = 1000

# C0 controls, DEL and C1 controls: a cell's escape sequence must not reach a terminal (screen
# clearing, window titles, clipboard writes) nor the page as raw bytes.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
_CONTROLS.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r"})
_NUMBERS = re.compile(r"(?<![\w-])(?:0x[0-9a-fA-F]+|\d(?:[\d,.:\-]*\d)?)")  # not UTF-8's 8
_QUOTED = re.compile(r'".*"', re.DOTALL)  # from the first quote to the last: values may hold quotes


def shown(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``), safe on any terminal."""
    return text.translate(_CONTROLS)


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong (or suspicious, when ``warning``) at ``file:line`` in ``column``.

    ``line`` is the physical line of the file (the header is line 1); ``column`` is
    the CSV column's name. Either may be None when the problem concerns the whole file.

    A summary stands for ``count`` problems of one kind (its ``message``, the values in it
    left out) on lines ``line`` to ``last``; ``last`` is None for a problem listed in full.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    warning: bool = False
    count: int = 1
    last: int | None = None

    @property
    def summed(self) -> bool:
        return self.last is not None

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        message = self.message
        if self.summed:
            place = f"{self.file}:{self.line}-{self.last}"
            what = "warning" if self.warning else "error"
            message = f"{self.count:,} more {what}{'' if self.count == 1 else 's'} not listed: {message}"
        parts = [place]
        if self.warning:
            parts.append("warning")
        if self.column:
            parts.append(self.column)
        parts.append(message)
        return shown(": ".join(parts))


class InvalidData(Exception):
    """Raised with every problem found in a file, errors and warnings alike."""

    def __init__(self, problems):
        self.problems = tuple(sorted(problems, key=_place))
        super().__init__("\n".join(str(p) for p in self.errors))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.warning)


def _place(problem: Problem):
    return (problem.file, problem.summed, problem.line or 0)


def counted(problems, warning: bool = False) -> int:
    """How many errors (or warnings) ``problems`` stand for, summaries included."""
    return sum(p.count for p in problems if p.warning == warning)


def kind(message: str) -> str:
    """A message without the values in it: the same rule's messages on other cells read alike."""
    return _NUMBERS.sub("…", _QUOTED.sub('"…"', message))


def limited(problems, limit: int = LIMIT) -> list[Problem]:
    """``problems`` (in the order they are shown) with at most ``limit`` listed in full per file;
    the others, and any summaries already made, summed up by kind after them."""
    listed: dict[str, int] = {}
    kept, rest = [], []
    for problem in problems:
        if problem.summed or problem.line is not None and listed.get(problem.file, 0) >= limit:
            rest.append(problem)
            continue
        listed[problem.file] = listed.get(problem.file, 0) + 1
        kept.append(problem)
    return kept + summed(rest) if rest else kept


def summed(problems) -> list[Problem]:
    """One summary per (file, warning, column, kind) of ``problems``, by file, then first line."""
    groups: dict[tuple, list] = {}
    for p in problems:
        key = (p.file, p.warning, p.column, kind(p.message))
        group = groups.get(key)
        last = p.last if p.summed else p.line
        if group is None:
            groups[key] = [p.count, p.line, last]
        else:
            group[0] += p.count
            group[1], group[2] = min(group[1], p.line), max(group[2], last)
    made = [Problem(file, first, column, message, warning, count, last)
            for (file, warning, column, message), (count, first, last) in groups.items()]
    return sorted(made, key=lambda p: (p.file, p.line, p.column or "", p.warning, p.message))


def bounded(file: str, lines, column: str | None, message, warning: bool = False,
            limit: int = LIMIT) -> list[Problem]:
    """The problems of one rule at ``lines`` (ascending), the first ``limit`` in full, the rest as one
    summary: made one by one only as far as shown. ``message``: a string, or a function of the
    position in ``lines`` that gives it."""
    count = len(lines)
    say = (lambda _: message) if isinstance(message, str) else message
    shown_lines = [int(line) for line in lines[:limit]]
    found = [Problem(file, line, column, say(at), warning) for at, line in enumerate(shown_lines)]
    if count > limit:
        found.append(Problem(file, int(lines[limit]), column, kind(say(limit)), warning, count - limit,
                             int(lines[count - 1])))
    return found


def report(name: str, problems, events: int | None = None) -> list[str]:
    """The lines `check` prints: every problem, then the verdict. One error about the whole file
    ("no such file") is its own verdict, in one line: "events.csv: invalid: no such file"."""
    problems = list(problems)
    if len(problems) == 1 and not problems[0].warning and problems[0].line is None and problems[0].file == name:
        return [shown(f"{name}: invalid: {problems[0].message}")]
    return [str(p) for p in problems] + [summary(name, problems, events)]


def summary(name: str, problems, events: int | None = None) -> str:
    """The one-line verdict under a list of problems."""
    errors = counted(problems)
    warnings = counted(problems, warning=True)
    counted_ = lambda n, word: f"{n:,} {word}{'' if n == 1 else 's'}"  # noqa: E731
    if errors:
        tail = f", {counted_(warnings, 'warning')}" if warnings else ""
        return shown(f"{name}: invalid: {counted_(errors, 'error')}{tail}")
    tail = f" ({counted_(warnings, 'warning')})" if warnings else ""
    return shown(f"{name}: ok: {counted_(events or 0, 'event')}{tail}")
