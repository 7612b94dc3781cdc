"""nysoc on JupyterHub: the roster of users and roles, and the hub's pre-spawn hook.

Loaded by ``deploy/jupyterhub_config.py`` (the hub's process, usually root). Nothing here
writes into a user's home: the hub only decides *who* a user is in the programme and hands
that to the user's own server as environment variables; ``deploy/nysoc_singleuser.py``,
running as the user, creates the workspace with ``nysoc init`` on the first start.

The roster is a TOML file the IT department edits (``deploy/brugere.example.toml``)::

    schema_version = 1

    [users.mette]                    # the hub (login) name
    role = "mentor"                  # mentor | mentee | koordinator | kontaktperson
    pairing = "par-7"                # mentor and mentee of a pairing share its id
    name = "Mette Holm"              # optional
    department = "Børn og Familie"   # optional
    start = "2026-09-01"             # optional: the programme's start date

Unknown keys, unknown roles and a pairing with two mentors (or two mentees) are refused
with a message that names the file, the user and the key (:class:`RosterError`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["ENV_PREFIX", "ROLES", "Member", "Roster", "RosterError", "load_roster",
           "make_pre_spawn_hook", "spawn_environment"]

#: The workspace roles of ``nysoc init --role``; the roster also accepts the aliases.
ROLES = ("mentor", "mentee", "koordinator", "kontaktperson")
ROLE_ALIASES = {"coordinator": "koordinator", "tovholder": "koordinator",
                "contact": "kontaktperson"}
#: Roles that write for one pairing (and must name it, except a contact person).
PAIR_ROLES = ("mentor", "mentee")
#: Environment variables the hook sets for ``nysoc_singleuser.py``.
ENV_PREFIX = "NYSOC_HUB_"
_USER_KEYS = {"role", "pairing", "name", "department", "start"}
_TOP_KEYS = {"schema_version", "users"}
_HUB_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")


class RosterError(ValueError):
    """The roster file cannot be used; the message names the file, the user and the key."""

    def __init__(self, path: Path, problem: str, *, user: str | None = None,
                 key: str | None = None) -> None:
        self.path, self.problem, self.user, self.key = path, problem, user, key
        super().__init__(self.message())

    def message(self) -> str:
        where = str(self.path)
        if self.user is not None:
            where += f", [users.{self.user}]"
        if self.key is not None:
            where += f", {self.key}"
        return f"nysoc roster {where}: {self.problem}"


@dataclass(frozen=True)
class Member:
    """One hub user's place in the programme."""

    user: str
    role: str
    pairing: str | None = None
    name: str = ""
    department: str = ""
    start: str | None = None


@dataclass(frozen=True)
class Roster:
    """Every hub user of nysoc, by hub name."""

    path: Path
    members: Mapping[str, Member]

    def member(self, user: str) -> Member:
        """The user's entry; a :class:`RosterError` if the user is not on the roster."""
        try:
            return self.members[user]
        except KeyError:
            raise RosterError(self.path, f"the hub user {user!r} is not on the roster; "
                              "add a [users.NAME] table with a role") from None

    def partner_names(self, member: Member) -> tuple[str, str]:
        """(mentor's name, mentee's name) of the member's pairing, from the roster."""
        names = {"mentor": "", "mentee": ""}
        for other in self.members.values():
            if other.pairing and other.pairing == member.pairing and other.role in names:
                names[other.role] = other.name
        return names["mentor"], names["mentee"]

    def groups(self) -> dict[str, dict[str, list[str]]]:
        """Hub groups, one per role (``c.JupyterHub.load_groups``): the admin page shows who
        is what; nothing in the hub grants a group any access to another user's server."""
        groups: dict[str, list[str]] = {role: [] for role in ROLES}
        for member in self.members.values():
            groups[member.role].append(member.user)
        return {role: {"users": sorted(users)} for role, users in groups.items() if users}


def load_roster(path: str | Path) -> Roster:
    """Read and check the roster file at ``path``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RosterError(path, "the file does not exist (copy deploy/brugere.example.toml)"
                          ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(path, f"not valid TOML: {exc}") from None
    for key in data:
        if key not in _TOP_KEYS:
            raise RosterError(path, f"unknown key; known: {', '.join(sorted(_TOP_KEYS))}",
                              key=key)
    if data.get("schema_version", 1) != 1:
        raise RosterError(path, "only schema_version = 1 is understood", key="schema_version")
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise RosterError(path, "must be a table of [users.NAME] tables", key="users")
    members = {name: _member(path, name, entry) for name, entry in users.items()}
    _check_pairings(path, members)
    return Roster(path, members)


def _member(path: Path, user: str, entry: object) -> Member:
    if not _HUB_NAME.match(user):
        raise RosterError(path, "a hub name is lower case letters, digits and . _ @ -",
                          user=user)
    if not isinstance(entry, dict):
        raise RosterError(path, "must be a table with at least a role", user=user)
    for key, value in entry.items():
        if key not in _USER_KEYS:
            raise RosterError(path, f"unknown key; known: {', '.join(sorted(_USER_KEYS))}",
                              user=user, key=key)
        if not isinstance(value, str):
            raise RosterError(path, "must be a string (in quotes)", user=user, key=key)
    if "role" not in entry:
        raise RosterError(path, f"missing; one of: {', '.join(ROLES)}", user=user, key="role")
    role = ROLE_ALIASES.get(entry["role"], entry["role"])
    if role not in ROLES:
        raise RosterError(path, f"unknown role {entry['role']!r}; one of: {', '.join(ROLES)}",
                          user=user, key="role")
    pairing = entry.get("pairing") or None
    if role in PAIR_ROLES and not pairing:
        raise RosterError(path, f"a {role} must name the pairing (the same id for mentor "
                          "and mentee)", user=user, key="pairing")
    if role == "koordinator" and pairing:
        raise RosterError(path, "a coordinator belongs to no pairing", user=user,
                          key="pairing")
    start = entry.get("start") or None
    if start is not None:
        try:
            dt.date.fromisoformat(start)
        except ValueError:
            raise RosterError(path, f"{start!r} is not a date (YYYY-MM-DD)", user=user,
                              key="start") from None
    return Member(user, role, pairing, entry.get("name", ""), entry.get("department", ""),
                  start)


def _check_pairings(path: Path, members: Mapping[str, Member]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for member in members.values():
        if member.pairing and member.role in PAIR_ROLES:
            key = (member.pairing, member.role)
            if key in seen:
                raise RosterError(path, f"pairing {member.pairing!r} already has a "
                                  f"{member.role} ({seen[key]})", user=member.user,
                                  key="pairing")
            seen[key] = member.user


def spawn_environment(roster: Roster, user: str, *, share_folder: str | Path | None = None,
                      retention_months: int | None = None,
                      workspace: str = "nysoc") -> dict[str, str]:
    """The environment variables that tell ``nysoc_singleuser.py`` who ``user`` is.

    ``workspace`` is the workspace folder's name inside the user's home.
    """
    member = roster.member(user)
    mentor, mentee = roster.partner_names(member)
    env = {"ROLE": member.role, "PAIRING": member.pairing or "", "MENTOR": mentor,
           "MENTEE": mentee, "DEPARTMENT": member.department, "START": member.start or "",
           "SHARE_FOLDER": str(share_folder or ""),
           "RETENTION_MONTHS": "" if retention_months is None else str(int(retention_months)),
           "WORKSPACE": workspace}
    return {ENV_PREFIX + key: value for key, value in env.items()}


def make_pre_spawn_hook(roster_path: str | Path, **settings: Any) -> Callable[[Any], None]:
    """A ``c.Spawner.pre_spawn_hook``: reads the roster again at every start (an edit to a
    user's role or pairing needs no hub restart) and puts :func:`spawn_environment` into the
    spawner's environment. A user not on the roster cannot start a server."""

    def pre_spawn_hook(spawner: Any) -> None:
        roster = load_roster(roster_path)
        env = spawn_environment(roster, spawner.user.name, **settings)
        spawner.environment = {**spawner.environment, **env}
        spawner.log.info("nysoc: %s starts as %s", spawner.user.name,
                         env[ENV_PREFIX + "ROLE"])

    return pre_spawn_hook
