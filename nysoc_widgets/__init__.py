"""nysoc: the mentoring programme for newly qualified social workers, in Jupyter.

The public API is small and loads lazily, so ``import nysoc_widgets`` costs almost
nothing until a form or summary is asked for::

    import nysoc_widgets as nysoc
    nysoc.form("logbog")        # the logbook form of this workspace
    nysoc.summary("logbog")     # a pandas summary of the entries
    nysoc.overview()            # the mentee's goals over time and what she has learnt
    nysoc.calendar_file()       # the agreement's planned meetings as moeder.ics
    nysoc.agenda()              # a proposed agenda for the next mentor meeting
    nysoc.print_copy("samarbejdsaftale")  # the latest saved agreement, to print
    nysoc.goal_history()        # the learning goals' way and what was agreed, to look back
    nysoc.share()               # what the coordinator gets, and the button that shares it
    nysoc.coordinator()         # the coordinator's overview of every shared summary
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

#: Public name → module that defines it (imported on first use).
_LAZY = {
    "form": "api",
    "summary": "api",
    "overview": "api",
    "card": "api",
    "calendar_file": "api",
    "agenda": "api",
    "print_copy": "api",
    "goal_history": "api",
    "status": "start",
    "share": "share_view",
    "coordinator": "coordinator_view",
    "Form": "forms",
    "Catalogue": "catalogue",
    "Template": "templates",
    "Record": "records",
    "Pairing": "records",
    "Store": "store",
    "Workspace": "workspace",
    "find_workspace": "workspace",
    "init_workspace": "workspace",
    "NysocError": "errors",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'nysoc_widgets' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
