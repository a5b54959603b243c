"""Device profiles reloaded while the engine runs, once a change to their folder has settled.

Like the rule files: a change is read only when the folder looked the same at two polls in a row, so a
file caught half-written is not read; a file that does not validate keeps its last good profile.
"""

from __future__ import annotations

import logging

from feeds.devices import DeviceProfiles

log = logging.getLogger(__name__)

Stamp = tuple[tuple[str, int, int], ...]


class ProfileWatch:
    """Call :meth:`poll` once per engine tick; it reloads ``profiles`` after a settled change."""

    def __init__(self, profiles: DeviceProfiles) -> None:
        self.profiles = profiles
        self._applied = self._seen = self._stamp()

    def _stamp(self) -> Stamp:
        folder = self.profiles.folder
        if folder is None or not folder.is_dir():
            return ()
        stamps = []
        for path in sorted(folder.glob("*.toml")):
            try:
                stat = path.stat()
            except OSError:  # removed between the listing and the stat
                continue
            stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)

    def poll(self) -> bool:
        """Reload if the folder changed and then stayed the same for one poll; True when reloaded."""
        now = self._stamp()
        settled, self._seen = now == self._seen, now
        if not settled or now == self._applied:
            return False
        self._applied = now
        errors = self.profiles.reload()
        log.info("device profiles reloaded: %d profiles, %d files not applied", len(self.profiles), len(errors))
        return True
