"""Which assets a rule watches: domain, kind, district, an id glob and attribute equalities."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from feeds.inventory import Asset


@dataclass(frozen=True, slots=True)
class Target:
    """Every given criterion must hold; an empty target matches every asset."""

    domain: str | None = None
    kind: str | None = None
    district: str | None = None
    id: str | None = None
    attrs: tuple[tuple[str, Any], ...] = ()
    _id_regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.id is not None:
            object.__setattr__(self, "_id_regex", re.compile(fnmatch.translate(self.id)))

    def matches(self, asset: Asset) -> bool:
        """Whether the rule watches this asset."""
        if self.domain is not None and asset.domain != self.domain:
            return False
        if self.kind is not None and asset.kind != self.kind:
            return False
        if self.district is not None and asset.district != self.district:
            return False
        if self._id_regex is not None and not self._id_regex.match(asset.id):
            return False
        return all(asset.attrs.get(key) == value for key, value in self.attrs)
