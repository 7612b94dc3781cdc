"""Running the ``nysoc`` command in-process in tests, as a user would type it."""

from __future__ import annotations

from typing import Any

import pytest

from nysoc_widgets import cli


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    """``nysoc ARGV…``: the exit status, standard output and standard error."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    """The single line a failing command writes to standard error (asserts it is one)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]
