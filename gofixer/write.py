"""Writing rewrites back: atomically, keeping the file mode, never over a file that changed meanwhile."""

from __future__ import annotations

import os
import tempfile


class ConcurrentChange(RuntimeError):
    pass


def atomic_write(path: str, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds ``expected``; raise OSError/ConcurrentChange if not."""
    with open(path, "rb") as fh:
        current = fh.read()
    if current != expected:
        raise ConcurrentChange("file changed on disk since gofixer read it; not overwritten")
    st = os.stat(path)
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".gofixer", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass  # not ours to give away: keep our own ownership
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
