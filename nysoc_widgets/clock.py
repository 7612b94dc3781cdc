"""Danish time: the one time zone people read dates and times in, whatever the machine's.

The store keeps UTC times; a social worker reads "kl. 14.05" and "23. november" as they
were in Denmark, also when nysoc runs on a server set to UTC (a JupyterHub).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["LOCAL_ZONE", "zone", "local", "day", "today"]

#: The zone of every date and time shown to a user or written as a calendar day.
LOCAL_ZONE = "Europe/Copenhagen"


def zone() -> dt.tzinfo:
    """Danish time (UTC where the machine has no time-zone data)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(LOCAL_ZONE)
    except Exception:  # noqa: BLE001 - no time-zone data on this machine: keep UTC
        return dt.timezone.utc


def local(stamp: str) -> dt.datetime | None:
    """An ISO time with an offset (how the store keeps times) in Danish time; None for a
    time without an offset or text that is no time."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(zone()) if moment.tzinfo else None


def day(stamp: str | None) -> str | None:
    """A stored time (ISO with offset) as the Danish calendar day, ``YYYY-MM-DD``."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone())
    return moment.date().isoformat()


def today() -> dt.date:
    """Today in Denmark."""
    return dt.datetime.now(zone()).date()
