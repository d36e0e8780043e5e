"""Run one MkDocs build and turn its failures into an error that says why.

MkDocs reports problems through its logger and, in strict mode, raises a bare ``Abort``
("Aborted with N warnings in strict mode!"); the logged lines are the reasons. Shared by the
programme docs site and the transparency site.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

__all__ = ["run_mkdocs", "MkDocsBuildFailed"]


class MkDocsBuildFailed(RuntimeError):
    """MkDocs did not build; ``reasons`` are its error and warning lines."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def run_mkdocs(config_file: Path, **overrides) -> tuple[str, ...]:
    """Build the site of ``config_file`` with ``overrides``; returns the warnings logged."""
    with _collect_log() as log:
        try:
            config = load_config(str(config_file), **overrides)
            build(config)
        except MkDocsException as error:
            reasons = [*log.errors, *log.warnings]
            if not isinstance(error, Abort) or not reasons:
                reasons.append(str(error))
            raise MkDocsBuildFailed(reasons) from error
    return tuple(log.warnings)


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def _collect_log() -> Iterator[_LogCollector]:
    collector = _LogCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
