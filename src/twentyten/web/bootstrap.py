"""``twentyten serve`` with no database: make one the first time (the atlas, the record and
the default plan), reuse it after. The plan is the batch job's own output
(``twentyten plan --out DIR``), saved beside the database and imported as the current version."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Prepared:
    url: str
    created: bool = False
    plan_imported: bool = False
    notes: list[str] = field(default_factory=list)


class BootstrapError(RuntimeError):
    """The default database could not be prepared (the message says which step and why)."""


def default_plan_dir(url: str) -> Path:
    """Where the default plan is saved: ``default-plan/`` beside an SQLite file."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database).expanduser().parent / "default-plan"
    from twentyten import settings

    return Path(settings.get("db").removeprefix("sqlite:///")).expanduser().parent / "default-plan"


def prepare(url: str | None = None, dataset: str | None = None, *, python: str = sys.executable) -> Prepared:
    """Migrate the database, load the atlas and record when it has none, and import the default
    plan when no plan version exists. Safe to run at every start: what exists is reused."""
    from sqlalchemy import func, select

    from twentyten.service.actors import SYSTEM
    from twentyten.service.plans import import_plan
    from twentyten.service.record import load_record
    from twentyten.store import make_engine, make_sessionmaker
    from twentyten.store.engine import default_url
    from twentyten.store.migrate import upgrade
    from twentyten.store.models import PlanVersion, Region

    url = url or default_url()
    engine = make_engine(url)
    out = Prepared(url=engine.url.render_as_string())
    try:
        upgrade(engine)
        with make_sessionmaker(engine)() as s:
            if not s.scalar(select(func.count()).select_from(Region)):
                rep = load_record(s, dataset)
                out.created = True
                out.notes.append(f"loaded {rep.regions} regions, {rep.projects} projects, {rep.milestones} milestones")
            if not s.scalar(select(func.count()).select_from(PlanVersion)):
                plan_json = _default_plan(url, dataset, python)
                import_plan(s, SYSTEM, plan_json.read_bytes(), "default plan", source=str(plan_json))
                out.plan_imported = True
                out.notes.append(f"imported the default plan from {plan_json}")
    finally:
        engine.dispose()
    return out


def _default_plan(url: str, dataset: str | None, python: str) -> Path:
    folder = default_plan_dir(url)
    plan_json = folder / "plan.json"
    if plan_json.exists():
        return plan_json  # saved at an earlier start whose import did not finish
    cmd = [python, "-m", "twentyten", "plan", "--out", str(folder)]
    if dataset:
        cmd += ["--dataset", dataset]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(__file__).resolve().parents[2]),
                                                    env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0 or not plan_json.exists():
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BootstrapError(f"the default plan (`twentyten plan --out {folder}`) failed: {last}")
    return plan_json
