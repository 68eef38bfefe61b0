"""Errors the engine raises: inputs it cannot score, templates it cannot compile."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a template: where (a path of codes) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidInput(ValueError):
    """An assessment input the scorer cannot accept, naming the indicator and the field."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{code} {field}: {message}")
        self.code = code
        self.field = field
        self.message = message
        # Set by score_many to the key of the unit whose input was refused.
        self.unit: object = None


class InvalidTemplate(ValueError):
    """A template the scorer cannot compute with (e.g. a ratio without a target)."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
