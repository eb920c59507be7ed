"""Writing files atomically: a temporary file in the same directory, then `os.replace`."""

from __future__ import annotations

import contextlib
import os
import tempfile


class ConcurrentChange(RuntimeError):
    pass


def replace_file(path: str, data: bytes, like: os.stat_result | None = None, sync: bool = True) -> None:
    """Put ``data`` at ``path`` in one step: readers see the old file or the new one, never a half.

    ``like`` gives the mode (and, where permitted, the owner) the new file keeps.
    """
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".gofixer", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        if like is not None:
            os.chmod(tmp, like.st_mode & 0o7777)
            with contextlib.suppress(OSError):  # not ours to give away: keep our own ownership
                os.chown(tmp, like.st_uid, like.st_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds ``expected``; raise OSError/ConcurrentChange if not."""
    with open(path, "rb") as fh:
        current = fh.read()
    if current != expected:
        raise ConcurrentChange("file changed on disk since gofixer read it; not overwritten")
    replace_file(path, data, like=os.stat(path))
