"""`twentyten simulate`: Monte Carlo over a saved plan -- can the horizon still be met?

Data goes to stdout (table, CSV of the counties, or JSON), status lines and the progress
bar to stderr. ``--out DIR`` writes summary.json, the CSV tables and report.html, whole or
not at all. Exit 2: bad usage or input (plan, scenario, output folder), one line naming the
file, key or path and the reason; exit 1: the run failed.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import click

from twentyten.cli._common import (
    FORMATS,
    FiniteFloatRange,
    bad_input,
    console,
    emit_rows,
    fail,
    highs_banner_to_stderr,
    status,
)

SCHEDULERS = ("local", "dask")
# runs per tornado bar when not given: 11 more simulations, so fewer where runs are dear
SENSITIVITY_DEFAULT = {"none": 2_000, "greedy": 100, "optimal": 0}


def _load(plan_path: str):
    from twentyten.plan.saved import SavedPlanError, load_result

    if not Path(plan_path).exists():
        bad_input(f"{plan_path}: no such plan (write one with `twentyten plan --out DIR`, or give --plan)")
    try:
        return load_result(plan_path)
    except SavedPlanError as e:
        bad_input(str(e))


def _from_db(db_url: str | None, dataset: str | None):
    """The database's current plan on the planning instance whose commitments are the
    database's started projects: (label, PlanResult)."""
    import numpy as np

    from twentyten.cli.db import session_for
    from twentyten.plan.instance import InstanceError, RecordOverride, load_instance
    from twentyten.plan.scenario import ScenarioError
    from twentyten.plan.solve import PlanResult, SolveStatus, plan_objective
    from twentyten.service.replan import current_plan, record_commitments

    with session_for(db_url) as session:
        try:
            name, fp, years = current_plan(session)
        except LookupError as e:
            bad_input(str(e))
        commitments, notes = record_commitments(session)
        url = session.get_bind().url.render_as_string(hide_password=True)
    try:
        inst = load_instance(None, dataset, record=RecordOverride(tuple(commitments), f"the database {url}",
                                                                  tuple(notes)))
    except (InstanceError, ScenarioError) as e:
        bad_input(str(e))
    inp = inst.inputs
    fixed = inp.fixed_year()
    year = np.full((len(inp.counties), len(inp.types)), -1, int)
    cidx, unknown = inp.county_index, []
    for (cid, fac), y in years.items():
        if cid not in cidx or fac not in inp.types:
            unknown.append(f"{cid} {fac}")
            continue
        if y is not None and y in inp.years:
            year[cidx[cid], inp.type_index(fac)] = inp.year_index(y)
    year = np.where(fixed >= 0, fixed, year)  # what was started keeps the year the record gives it
    if unknown:
        bad_input(f"{url}: plan {name!r} names {len(unknown)} packages the dataset lacks, first {unknown[0]}")
    result = PlanResult(inputs=inp, status=SolveStatus.FEASIBLE, method="database", year=year,
                        objective=plan_objective(inp, year), dual_bound=None, gap=None, solve_seconds=0.0,
                        build_seconds=0.0, greedy_objective=0.0,
                        message=f"plan {name!r} ({fp[:12]}) from {url}")
    return f"{url} plan {name!r}", result


def _check_out(out: str | None) -> None:
    if out is None:
        return
    p = Path(out)
    if p.exists() and not p.is_dir():
        bad_input(f"--out {out}: is a file, not a folder")
    parent = p if p.exists() else p.parent
    while not parent.exists():
        parent = parent.parent
    import os

    if not os.access(parent, os.W_OK):
        bad_input(f"--out {out}: {parent} is not writable")


@contextmanager
def _mapper(scheduler: str, address: str | None, workers: int):
    """How chunks are spread: None (here, in turn), local processes, or a dask cluster (its
    client is closed when the run ends)."""
    if scheduler == "dask":
        if not address:
            bad_input("--scheduler dask needs --address HOST:PORT (a running dask.distributed scheduler)")
        try:
            from distributed import Client
        except ImportError:
            bad_input("--scheduler dask needs dask.distributed: pip install 'twentyten[dask]'")
        import logging

        logging.getLogger("distributed").setLevel(logging.CRITICAL)  # our one line says it
        try:
            client = Client(address, timeout=10)
        except (OSError, TimeoutError) as e:
            fail(f"--address {address}: cannot reach the dask scheduler: {e}")
        from twentyten.simulate.engine import dask_mapper

        try:
            yield dask_mapper(client)
        finally:
            client.close()
        return
    if address:
        bad_input("--address is only for --scheduler dask")
    if workers > 1:
        from twentyten.simulate.engine import process_mapper

        yield process_mapper(workers)
        return
    yield None


@click.command("simulate")
@click.option("--plan", "plan_path", default="out/plan.json", show_default=True,
              type=click.Path(dir_okay=False), help="A saved plan (plan.json from `twentyten plan --out`).")
@click.option("--runs", default=10_000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="Monte Carlo runs.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, None),
              help="Seed: the same seed gives the same output, byte for byte.")
@click.option("--scenario", "scenario_path", default=None, type=click.Path(dir_okay=False),
              help="Uncertainty scenario (YAML) on top of the dataset's uncertainty.yaml.")
@click.option("--dataset", default=None, help="Dataset whose uncertainty.yaml gives the defaults "
              "(default: the one the plan was made from).")
@click.option("--replan", type=click.Choice(("none", "greedy", "optimal")), default="none", show_default=True,
              help="none: slipped packages carry over; greedy / optimal: re-plan each year from what was "
                   "finished with the greedy planner or the optimiser.")
@click.option("--replan-time-limit", default=5.0, show_default=True, type=FiniteFloatRange(0.1, 3600),
              help="Seconds per optimal re-plan (HiGHS).")
@click.option("--sensitivity-runs", default=None, type=click.IntRange(0, None),
              help="Runs per tornado bar (at most --runs; 0: no sensitivity). Default: 2,000 without "
                   "re-planning, 100 with greedy, 0 with optimal re-planning.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Local processes to spread chunks of runs over.")
@click.option("--scheduler", type=click.Choice(SCHEDULERS), default="local", show_default=True,
              help="dask: spread chunks over a dask.distributed cluster (--address).")
@click.option("--address", default=None, help="HOST:PORT of the dask scheduler.")
@click.option("--from-db", "from_db", is_flag=True, default=False,
              help="Simulate the record database's current plan, from what the database says was started.")
@click.option("--db", "db_url", metavar="URL", default=None,
              help="Database for --from-db (default: setting `db`, $TWENTYTEN_DB).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", "out_dir", default=None, type=click.Path(),
              help="Folder for summary.json, years/counties/provinces/bottlenecks/sensitivity.csv, "
                   "state_median.csv, report.html.")
def simulate(plan_path, runs, seed, scenario_path, dataset, replan, replan_time_limit, sensitivity_runs, workers,
             scheduler, address, from_db, db_url, fmt, out_dir) -> None:
    """Simulate a saved plan: the probability of finishing every county by the horizon, the
    counties finished per year, slip, bottlenecks and what moves the probability most."""
    import numpy as np

    from twentyten.simulate.engine import SimulationError, chunk_sizes, prepare
    from twentyten.simulate.results import SimulateOptions
    from twentyten.simulate.results import simulate as run
    from twentyten.simulate.scenario import SimulationScenarioError, load_uncertainty

    _check_out(out_dir)
    if db_url and not from_db:
        bad_input("--db is for --from-db (simulate the record database's current plan)")
    if from_db:
        plan_path, result = _from_db(db_url, dataset)
    else:
        saved, result = _load(plan_path)
        if dataset is None and saved.identity is not None:
            dataset = saved.identity.dataset
    try:
        unc = load_uncertainty(scenario_path, dataset)
    except SimulationScenarioError as e:
        bad_input(str(e), e.lines[1:])
    except FileNotFoundError as e:
        bad_input(f"--dataset {dataset}: {e}")
    try:
        sp = prepare(result.inputs, result.year)
    except SimulationError as e:
        bad_input(f"{plan_path}: {e}")
    if sensitivity_runs is None:
        sensitivity_runs = SENSITIVITY_DEFAULT[replan]
    sens = min(sensitivity_runs, runs)
    total = runs + (11 * sens if sens else 0)  # base + (off, high) per uncertainty + their base
    status(f"simulating {plan_path}: {runs:,} runs (replan {replan}, seed {seed}, "
           f"{len(chunk_sizes(runs, replan))} chunks)" + (f", tornado {sens:,} runs a bar" if sens else ""))
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    if replan == "optimal":
        highs_banner_to_stderr()  # the solver's banner is not data: keep stdout for --format json/csv
    t0 = time.perf_counter()
    with _mapper(scheduler, address, workers) as mapper, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("runs", total=runs)

        def progress(n: int) -> None:
            bar.advance(task, n)

        try:
            summary = run(sp, unc, np.random.default_rng(seed),
                          SimulateOptions(runs=runs, replan=replan, sensitivity_runs=sens, progress=progress,
                                          map_chunks=mapper, replan_time_limit=replan_time_limit), seed=seed)
        except SimulationError as e:
            fail(str(e))
    secs = time.perf_counter() - t0
    rate = total / max(secs, 1e-9)
    status(f"{total:,} runs in {secs:.1f} s ({rate:,.0f} runs/s)" if rate >= 10 else
           f"{total:,} runs in {secs:.1f} s ({60 * rate:,.1f} runs/min)")
    if out_dir is not None:
        from twentyten.simulate.report import write_outputs

        try:
            paths = write_outputs(summary, out_dir)
        except OSError as e:
            fail(f"--out {out_dir}: cannot write: {e}")
        for p in paths:
            status(f"wrote {p}")
    _emit(summary, fmt)


def _emit(s, fmt: str) -> None:
    from twentyten.simulate.report import to_json

    if fmt == "json":
        click.echo(to_json(s), nl=False)
        return
    if fmt == "csv":
        emit_rows(s.counties, "csv")
        return
    console().print(s.headline())
    for n in s.notes:
        console().print(f"note: {n}")
    emit_rows([{"year": str(r["year"]), **{k: r[k] for k in ("planned", "p5", "p25", "p50", "p75", "p95", "mean")}}
               for r in s.years],
              "table", title="Counties finished by the end of each year (plan vs. runs' percentiles)")
    emit_rows([{"constraint": r["constraint"], "share of run-years waited": r["share_of_run_years"]}
               for r in s.bottlenecks], "table", title="Bottlenecks: constraint that left a due package waiting")
    if s.sensitivity:
        emit_rows(s.sensitivity, "table", title="Sensitivity: P(finish all) with each uncertainty off / more severe")
    emit_rows(sorted(s.provinces, key=lambda r: -r["expected_slip"]), "table", title="Provinces")
