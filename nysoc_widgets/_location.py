"""Where a store file lives: whether its folder can be written, and whether it is on a
network filesystem, where SQLite must not be used.

These are checks on the file's place, not on its contents (``_schema``): ``Store.open``
refuses a store on a network filesystem, and a store or folder this process cannot
write, before SQLite touches the file.
"""

from __future__ import annotations

import ntpath
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ._store_errors import error
from .errors import StoreError

__all__ = ["writable", "NETWORK_FILESYSTEMS", "ALLOW_NETWORK_ENV", "network_filesystem",
           "mount_of", "refuse_network_filesystem"]


def writable(path: Path) -> bool:
    """False when this process cannot write the store ``path`` (if it exists) or its folder
    (SQLite writes the ``-wal`` and ``-shm`` files beside it)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


# -- network filesystems ----------------------------------------------------------------
#
# SQLite's locks (and the shared memory of WAL mode) do not work reliably over a network
# filesystem: two machines, or a client and a server that caches, can both believe they
# hold the write lock, and saves are lost or the file is damaged (sqlite.org/wal.html,
# "WAL does not work over a network filesystem"; sqlite.org/howtocorrupt.html, 2.1).

#: Filesystem types (as Linux names them in ``/proc/self/mountinfo``) that are refused.
#: ``9p`` is how WSL 2 shows Windows drives (``/mnt/c``) and how VMs share folders.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "ceph", "glusterfs",
    "lustre", "gpfs", "beegfs", "ocfs2", "gfs2", "9p", "davfs", "fuse.sshfs",
    "fuse.gvfsd-fuse", "fuse.glusterfs", "fuse.ceph", "fuse.rclone", "fuse.s3fs",
    "fuse.davfs2", "fuse.smbnetfs", "fuse.cifs"})

#: Set to ``1`` to allow a store on a network filesystem anyway (at the workplace's risk).
ALLOW_NETWORK_ENV = "NYSOC_ALLOW_NETWORK_FS"

MOUNTINFO = Path("/proc/self/mountinfo")
_DRIVE_REMOTE = 4  # GetDriveTypeW


def mount_of(folder: str, mountinfo: str) -> tuple[str, str] | None:
    """``(mount point, filesystem type)`` of the mount holding the absolute ``folder``,
    read from the text of a Linux ``/proc/<pid>/mountinfo`` (None if nothing matches).

    A line is ``id parent major:minor root MOUNT-POINT options [optional…] - TYPE source
    super-options``; the mount point escapes space, tab, newline and backslash as ``\\ooo``.
    The longest mount point that contains ``folder`` wins; of equal ones the later (it is
    mounted over the earlier).
    """
    found: tuple[str, str] | None = None
    for line in mountinfo.splitlines():
        parts = line.split(" ")
        try:
            fstype = parts[parts.index("-", 6) + 1]
        except (ValueError, IndexError):  # not a mountinfo line
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), parts[4])
        inside = folder == point or folder.startswith(point.rstrip("/") + "/")
        if inside and (found is None or len(point) >= len(found[0])):
            found = (point, fstype)
    return found


def network_filesystem(path: Path, *, mountinfo: str | None = None
                       ) -> tuple[str, str] | None:
    """``(filesystem type, mount point)`` if the folder of ``path`` is on a network
    filesystem, else None.

    Linux: the mount holding the folder in ``/proc/self/mountinfo`` (or the ``mountinfo``
    text given). Windows: a UNC path (``\\\\server\\share``) or a drive Windows calls
    remote (a mapped network drive). Other systems (macOS): not detected.
    """
    folder = os.path.realpath(path.parent)
    if sys.platform == "win32":
        return _windows_network(folder)
    if mountinfo is None:
        try:
            mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            return None
    found = mount_of(folder, mountinfo)
    if found is None or found[1] not in NETWORK_FILESYSTEMS:
        return None
    return found[1], found[0]


def _windows_network(folder: str, drive_type: Callable[[str], int] | None = None
                     ) -> tuple[str, str] | None:
    """Windows: a UNC folder, or one on a drive whose type (``GetDriveTypeW``) is remote."""
    drive = ntpath.splitdrive(folder)[0]
    if drive.upper().startswith("\\\\?\\UNC\\") or (
            drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\"))):
        return "smb", drive
    drive = drive.removeprefix("\\\\?\\")
    if drive_type is None:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    if drive and drive_type(drive + "\\") == _DRIVE_REMOTE:
        return "netværksdrev", drive
    return None


def refuse_network_filesystem(path: Path) -> None:
    """Raise ``StoreError`` (reason ``network_fs``) for a store on a network filesystem,
    unless ``NYSOC_ALLOW_NETWORK_FS=1``."""
    if os.environ.get(ALLOW_NETWORK_ENV) == "1":
        return
    found = network_filesystem(path)
    if found is not None:
        raise error(StoreError, path, "network_fs", fstype=found[0], mount=found[1],
                    env=ALLOW_NETWORK_ENV)

