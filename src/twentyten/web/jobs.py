"""Scenario runs in the background: each is the batch job itself (``twentyten plan --scenario
FILE --out DIR``) in a subprocess, so a page that starts one returns at once and the server
never blocks. One runner per app; its table of jobs is guarded by a lock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class JobRefused(ValueError):
    """A scenario run that cannot start (the message says why)."""


@dataclass(frozen=True)
class Job:
    id: int
    name: str
    state: str  # running, done, failed
    started: float
    finished: float | None = None
    message: str = ""
    time_limit: float = 20.0

    def as_dict(self, now: float | None = None) -> dict:
        end = self.finished or (now or time.time())
        return {"id": self.id, "name": self.name, "state": self.state, "seconds": round(end - self.started, 1),
                "time_limit": self.time_limit, "message": self.message}


@dataclass
class Runner:
    plans_dir: Path
    python: str = sys.executable
    _jobs: dict[int, Job] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def jobs(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: -j.id)

    def start(self, name: str, scenario_yaml: str, time_limit: float = 20.0) -> Job:
        """Start ``twentyten plan --scenario`` on the YAML text; the plan goes to plans_dir/NAME."""
        if not NAME.match(name):
            raise JobRefused(f"name {name!r}: use 1-40 lower-case letters, digits and hyphens")
        if not 1 <= time_limit <= 300:
            raise JobRefused(f"time limit {time_limit}: give 1 to 300 seconds")
        out = self.plans_dir / name
        with self._lock:
            if out.exists() or any(j.name == name and j.state == "running" for j in self._jobs.values()):
                raise JobRefused(f"a plan named {name!r} exists already")
            job = Job(len(self._jobs) + 1, name, "running", time.time(), time_limit=time_limit)
            self._jobs[job.id] = job
        scenarios = self.plans_dir / ".scenarios"
        scenarios.mkdir(parents=True, exist_ok=True)
        path = scenarios / f"{name}.yaml"
        path.write_text(scenario_yaml, encoding="utf-8")
        threading.Thread(target=self._run, args=(job, path, out), daemon=True).start()
        return job

    def _run(self, job: Job, scenario: Path, out: Path) -> None:
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
        cmd = [self.python, "-m", "twentyten", "plan", "--scenario", str(scenario), "--out", str(out),
               "--time-limit", str(job.time_limit)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        if done.returncode == 0 and (out / "plan.json").exists():
            final = replace(job, state="done", finished=time.time(),
                            message=next((ln for ln in lines if "gain over greedy" in ln), "done"))
        else:
            final = replace(job, state="failed", finished=time.time(), message=" ".join(lines[-2:]) or "no message")
        with self._lock:
            self._jobs[job.id] = final
