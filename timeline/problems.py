"""The one error type: a problem at a place in a file, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong (or suspicious, when ``warning``) at ``file:line`` in ``column``.

    ``line`` is the physical line of the file (the header is line 1); ``column`` is
    the CSV column's name. Either may be None when the problem concerns the whole file.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [place]
        if self.warning:
            parts.append("warning")
        if self.column:
            parts.append(self.column)
        parts.append(self.message)
        return ": ".join(parts)


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
    return (problem.file, problem.line or 0)


def report(name: str, problems, events: int | None = None) -> list[str]:
    """The lines `check` prints: every problem, then the verdict. One error about the whole file
    ("no such file") is its own verdict, in one line: "events.csv: invalid: no such file"."""
    problems = list(problems)
    if len(problems) == 1 and not problems[0].warning and problems[0].line is None and problems[0].file == name:
        return [f"{name}: invalid: {problems[0].message}"]
    return [str(p) for p in problems] + [summary(name, problems, events)]


def summary(name: str, problems, events: int | None = None) -> str:
    """The one-line verdict under a list of problems."""
    errors = sum(1 for p in problems if not p.warning)
    warnings = sum(1 for p in problems if p.warning)
    counted = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    if errors:
        tail = f", {counted(warnings, 'warning')}" if warnings else ""
        return f"{name}: invalid: {counted(errors, 'error')}{tail}"
    tail = f" ({counted(warnings, 'warning')})" if warnings else ""
    return f"{name}: ok: {counted(events or 0, 'event')}{tail}"
