"""The default plan as a :class:`PlanResult`, read once per app (reading and checking a saved
plan takes most of a second) and again only when its file changes. Per app, behind a lock:
no module-level state."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any


class PlanCache:
    def __init__(self, plan_json: Path):
        self.plan_json = plan_json
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._result: Any = None

    def result(self) -> Any | None:
        """The plan result, or None when there is no readable saved plan."""
        from twentyten.plan.saved import SavedPlanError, load_result

        try:
            st = self.plan_json.stat()
        except OSError:
            return None
        key = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if key != self._key:
                try:
                    self._result = load_result(self.plan_json)[1]
                except (SavedPlanError, OSError):
                    self._result = None
                self._key = key
            return self._result


class ViewCache:
    """Page views kept while their key holds (the record's revision, the actor's scope, the
    saved plan's file): one per app, behind a lock, the oldest dropped past ``size``."""

    def __init__(self, size: int = 64):
        self.size = size
        self._lock = threading.Lock()
        self._views: dict[Any, Any] = {}

    def get(self, key: Any, compute: Any) -> Any:
        with self._lock:
            if key in self._views:
                return self._views[key]
        view = compute()  # outside the lock: a slow view does not hold up the other pages
        with self._lock:
            self._views[key] = view
            while len(self._views) > self.size:
                self._views.pop(next(iter(self._views)))
        return view
