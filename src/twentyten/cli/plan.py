"""`twentyten plan`: optimise the rollout; `compare` two plans; `explain` a county.

Data goes to stdout, status lines to stderr. Exit 1: the run failed (design failure, no
valid plan, infeasible settings); exit 2: bad usage or input (scenario, dataset, norms,
saved plan, output folder), always one line naming the file, key or path and the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import click

from twentyten.cli._common import bad_input, fail, highs_banner_to_stderr, status
from twentyten.domain.facility import SHORT


@dataclass(frozen=True)
class Sources:
    """What the user named: scenario, dataset, standards norms, fallback."""

    scenario: str | None
    dataset: str | None
    norms: tuple[str, ...]
    fallback: bool

    @property
    def named(self) -> set[str]:
        """The inputs the user named, as fingerprint parts."""
        parts = {"scenario": self.scenario, "dataset": self.dataset, "standards": self.norms,
                 "resource_use": self.fallback}
        return {k for k, v in parts.items() if v}


def _source_options(f):
    f = click.option("--fallback-resources", "fallback", is_flag=True, default=False,
                     help="Size packages with plan/fallback_resources.csv (estimates) instead of the "
                          "design; the outputs say so.")(f)
    f = click.option("--norms", multiple=True, type=click.Path(dir_okay=False),
                     help="Your own norms file (CSV or YAML) on top of the standards; repeatable.")(f)
    f = click.option("--dataset", default=None,
                     help="Bundled dataset name or path (default: setting `dataset`).")(f)
    return f


def _check_time_limit(value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and value > 0):
        bad_input(f"--time-limit = {value}: must be a positive number of seconds")
    return value


def _db_record(db_url: str | None):
    """The database's started projects as commitments (``--from-db``)."""
    from twentyten.cli.db import session_for
    from twentyten.plan.instance import RecordOverride
    from twentyten.service.replan import record_commitments

    with session_for(db_url) as session:
        commitments, notes = record_commitments(session)
        url = session.get_bind().url.render_as_string(hide_password=True)
    return RecordOverride(tuple(commitments), f"the database {url}", tuple(notes))


def _instance(src: Sources, record=None):
    """Load the planning instance; bad input exits 2, a design failure exits 1."""
    from twentyten.plan.adapter import DesignFailed
    from twentyten.plan.instance import InstanceError, load_instance
    from twentyten.plan.scenario import ScenarioError

    try:
        return load_instance(src.scenario, src.dataset, None, src.norms, src.fallback, record=record)
    except (ScenarioError, InstanceError) as e:
        bad_input(str(e))
    except DesignFailed as e:
        fail(f"{e} (the plan needs the design; --fallback-resources plans on estimates instead)")
    raise AssertionError  # unreachable: bad_input and fail exit


def _fingerprint(src: Sources):
    """The fingerprint of the inputs named, without sizing packages (for saved plans)."""
    from twentyten.plan.instance import InstanceError, fingerprint
    from twentyten.plan.scenario import ScenarioError, load_scenario

    try:
        return fingerprint(load_scenario(src.scenario, src.dataset), src.dataset, None, src.norms, src.fallback)
    except (ScenarioError, InstanceError) as e:
        bad_input(str(e))
    raise AssertionError


def _options(sc, time_limit: float | None, seed: int = 0):
    """Solver options from the scenario, --time-limit and --seed (where the solver takes one)."""
    from dataclasses import fields

    from twentyten.plan.solve import SolveOptions

    kw: dict = {"time_limit": float(time_limit if time_limit is not None else sc.time_limit),
                "mip_rel_gap": sc.mip_rel_gap}
    if "seed" in {f.name for f in fields(SolveOptions)}:
        kw["seed"] = seed
    elif seed:
        bad_input(f"--seed {seed}: this solver build takes no seed")
    return SolveOptions(**kw)


def _solve(inst, method: str, time_limit: float | None, export: str | None = None, progress: bool = True,
           seed: int = 0):
    from twentyten.plan.infeasibility import PlanInfeasible
    from twentyten.plan.solve import solve_greedy, solve_plan

    inp, sc = inst.inputs, inst.scenario
    if export or method != "greedy":
        highs_banner_to_stderr()
    if export:
        _export(inp, export)
    if method == "greedy":
        from twentyten.plan.infeasibility import diagnose

        problems = diagnose(inp)  # the same pre-checks as the optimal path, before any plan
        if problems:
            fail("no plan satisfies these settings", problems)
        return solve_greedy(inp)
    options = _options(sc, time_limit, seed)
    try:
        if not progress:
            return solve_plan(inp, options)
        from dataclasses import replace

        from rich.console import Console

        console = Console(stderr=True)
        with console.status(f"solving {sc.source}…") as st:
            def on_progress(p) -> None:
                gap = "—" if p.gap == float("inf") else f"{100 * p.gap:.3f} %"
                st.update(f"solving {sc.source}… {p.seconds:5.1f} s  incumbent {p.primal:,.2f}  "
                          f"bound {p.dual:,.2f}  gap {gap}")

            return solve_plan(inp, replace(options, on_progress=on_progress))
    except PlanInfeasible as e:
        fail("no plan satisfies these settings", e.problems)
    raise AssertionError


def _export(inp, path: str) -> None:
    """Write the model to ``path`` whole (temp file, then rename) or stop with exit 1."""
    import os
    import tempfile
    from pathlib import Path

    from twentyten.outputs import give_usual_mode
    from twentyten.plan.model import build_model, export_mps

    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".mps", dir=p.parent)
    os.close(fd)
    try:
        export_mps(build_model(inp), tmp)
        if os.path.getsize(tmp) == 0:
            fail(f"{p}: the solver wrote no model")
        give_usual_mode(tmp, p)
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)  # our own temporary file
    status(f"model written to {p}")


def _check_export(path: str | None) -> None:
    """Refuse before solving an --export-model path whose folder is missing or not writable."""
    if not path:
        return
    from pathlib import Path

    from twentyten.plan.report import OutputError, check_writable

    p = Path(path)
    if not p.parent.is_dir():
        bad_input(f"--export-model {p}: folder {p.parent} does not exist")
    try:
        check_writable(p.parent)
    except OutputError as e:
        bad_input(f"--export-model {p}: {e}")


def _usable(result):
    """Stop with a clear message when the solver returned no plan that keeps every rule."""
    if result.violations:
        hint = "" if result.method == "greedy" else "; try a longer --time-limit"  # greedy has no time limit
        fail(
            f"no valid plan found ({result.status.value}){hint}",
            [f"{v.family}: {v.message}" for v in result.violations[:10]],
        )
    return result


def _year_rows(result, table: bool) -> list[dict]:
    """The yearly summary (:class:`twentyten.plan.saved.YearRow`) as printable rows; the table
    marks record years and ends with a totals row."""
    from twentyten.plan.saved import year_rows

    rows = []
    tot: dict = {}
    for yr in year_rows(result):
        row: dict = {"year": (f"{yr.year} (record)" if yr.record else str(yr.year)) if table else yr.year}
        if not table:
            row["record"] = yr.record
        for t, n in yr.built.items():
            row[SHORT.get(t, t)] = n
            tot[SHORT.get(t, t)] = tot.get(SHORT.get(t, t), 0) + n
        cap = yr.capacity.get("labour")
        used = yr.used.get("labour", 0.0)
        tot["_labour"] = tot.get("_labour", 0.0) + used
        if table:
            row["labour used/cap"] = f"{used:,.0f}" + ("" if cap is None else f" / {cap:,.0f}")
            caps = [_short(n)[4:] for n in yr.binding if n.startswith("year-cap")]
            other = [_short(n) for n in yr.binding if not n.startswith("year-cap")]
            row["binding"] = " ".join(([f"cap({','.join(caps)})"] if caps else []) + other)
        else:
            row["labour_used"], row["labour_capacity"], row["binding"] = used, cap, "; ".join(yr.binding)
        rows.append(row)
    if table and rows:
        total = {"year": "total", **{k: v for k, v in tot.items() if not k.startswith("_")},
                 "labour used/cap": f"{tot['_labour']:,.0f}", "binding": ""}
        rows.append(total)
    return rows


def _short(name: str) -> str:
    """``year-cap[hospital,2027]`` -> ``cap:hosp``; ``construction-capacity[2027]`` -> ``labour``."""
    fam, _, rest = name.partition("[")
    if fam == "year-cap":
        return "cap:" + SHORT.get(rest.split(",")[0], rest.split(",")[0])
    return {"construction-capacity": "labour"}.get(fam, fam)


@click.group(invoke_without_command=True)
@click.option("--out", "out_dir", type=click.Path(), default=None,
              help="Write report.html, plan.csv, plan.json and plan.geojson here (whole or not at all).")
@click.option("--scenario", "scenario_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Scenario file (YAML) on top of the dataset's programme; see examples/scenario.yaml.")
@_source_options
@click.option("--method", type=click.Choice(["optimal", "greedy"]), default="optimal", show_default=True)
@click.option("--time-limit", type=float, default=None, help="Solver seconds (default: the scenario's).")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True,
              help="Solver seed (recorded in plan.json).")
@click.option("--export-model", "export", type=click.Path(dir_okay=False), default=None,
              help="Write the exact model solved to this MPS file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--from-db", "from_db", is_flag=True, default=False,
              help="Re-plan from the record database: what was started there is fixed, the rest re-optimised.")
@click.option("--db", "db_url", metavar="URL", default=None,
              help="Database for --from-db (default: setting `db`, $TWENTYTEN_DB).")
@click.pass_context
def plan(ctx: click.Context, out_dir, scenario_path, dataset, norms, fallback, method, time_limit, seed,
         export, fmt, from_db, db_url) -> None:
    """Optimise the ten-year rollout and print a year-by-year summary."""
    if ctx.invoked_subcommand is not None:
        return
    from twentyten.cli._common import emit_rows

    _check_time_limit(time_limit)
    _check_export(export)
    if out_dir:
        from twentyten.plan.report import OutputError, check_writable

        try:
            check_writable(out_dir)
        except OutputError as e:
            bad_input(f"--out {e}")
    if db_url and not from_db:
        bad_input("--db is for --from-db (re-plan from the record database)")
    if method == "greedy":
        given = [o for o, v in (("--time-limit", time_limit is not None), ("--seed", seed != 0)) if v]
        if given:  # the greedy baseline uses no solver: say so rather than ignore them
            status(f"note: {' and '.join(given)} {'have' if len(given) > 1 else 'has'} no effect on --method greedy")
    src = Sources(scenario_path, dataset, tuple(norms), fallback)
    inst = _instance(src, _db_record(db_url) if from_db else None)
    result = _usable(_solve(inst, method, time_limit, export=export, seed=seed))
    if fmt == "json":  # the same YearRow objects as plan.json's summary.years
        import json

        from twentyten.plan.saved import year_rows

        click.echo(json.dumps([y.model_dump() for y in year_rows(result)], ensure_ascii=False, indent=1))
    else:
        emit_rows(_year_rows(result, fmt == "table"), fmt,
                  title="Rollout by year (packages built; (record): only what the record fixes)")
    status(result.status_line())
    if result.status.value != "optimal" and result.method == "optimal":
        status("note: this plan is NOT proven optimal (" + result.status.value + ")")
    if fallback:
        status("status: FALLBACK resource use (plan/fallback_resources.csv estimates, not the design)")
    for n in inst.inputs.notes:
        if n != "resource use from twentyten.design":  # the normal case needs no note
            status(f"note: {n}")
    from twentyten.plan.adapter import large_package_verdicts

    for n in large_package_verdicts(result):  # what this plan did with them
        status(f"plan: {n}")
    if out_dir:
        from twentyten.plan.report import OutputError, write_all
        from twentyten.plan.saved import identity

        ident = identity(inst.fingerprint, result, seed=getattr(_options(inst.scenario, time_limit, seed), "seed", 0),
                         time_limit=None if method == "greedy" else float(time_limit or inst.scenario.time_limit))
        try:
            paths = write_all(result, out_dir, inst.atlas.shapes(), ident)
        except (OutputError, OSError) as e:
            fail(f"--out {out_dir}: nothing written: {e}")
        for p in paths:
            status(f"wrote {p}")


def _plan_or_solve(path: str, src: Sources, time_limit: float | None):
    """A saved plan (``.json``, checked against the inputs named) or a scenario file, solved."""
    if path.endswith(".json"):
        from twentyten.plan.saved import SavedPlanError, check_identity, load_result

        try:
            saved, result = load_result(path)
            if src.named:
                check_identity(saved, _fingerprint(src), path, src.named)
        except SavedPlanError as e:
            bad_input(str(e))
        return result
    inst = _instance(Sources(path, src.dataset, src.norms, src.fallback))
    return _usable(_solve(inst, "optimal", time_limit))


@plan.command("compare")
@click.argument("a", type=click.Path(exists=True, dir_okay=False))
@click.argument("b", type=click.Path(exists=True, dir_okay=False))
@_source_options
@click.option("--time-limit", type=float, default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def compare(a, b, dataset, norms, fallback, time_limit, fmt) -> None:
    """What moved from plan A to plan B, and why: each a saved plan.json (read, not solved) or a
    scenario file (solved, with progress)."""
    from twentyten.cli._common import emit_rows
    from twentyten.plan.compare import compare_plans

    _check_time_limit(time_limit)
    src = Sources(None, dataset, tuple(norms), fallback)
    ra = _plan_or_solve(a, src, time_limit)
    rb = _plan_or_solve(b, src, time_limit)
    try:
        cmp = compare_plans(ra, rb)
    except ValueError as e:
        bad_input(f"{a} and {b}: {e}")
    if fmt == "json":
        import json

        click.echo(json.dumps(cmp.as_dict(), ensure_ascii=False, indent=1))
        return
    for line in cmp.lines():
        status(line) if fmt == "csv" else click.echo(line)

    def yr(v) -> str:  # a year, not a quantity: no thousands separator
        return "not built" if v is None else str(v)

    rows = [{"county": m.name, "county_id": m.county, "facility": m.facility_type,
             "year_a": yr(m.year_a), "year_b": yr(m.year_b), "why": m.why} for m in cmp.moves]
    if rows and fmt == "table":
        _plain_table(rows, "What moved")  # hundreds of rows: aligned text, not a rich table (fast)
    elif rows:
        emit_rows(rows, fmt, title="What moved")


def _plain_table(rows: list[dict], title: str) -> None:
    """Rows as aligned columns (the last one unpadded), for long tables."""
    cols = list(rows[0])
    width = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols[:-1]}
    click.echo(title)
    click.echo("  ".join([*(c.ljust(width[c]) for c in cols[:-1]), cols[-1]]))
    for r in rows:
        click.echo("  ".join([*(str(r[c]).ljust(width[c]) for c in cols[:-1]), str(r[cols[-1]])]))


@plan.command("explain")
@click.argument("county")
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A saved plan.json (from plan --out): explain it without solving.")
@click.option("--scenario", "scenario_path", type=click.Path(exists=True, dir_okay=False), default=None)
@_source_options
@click.option("--time-limit", type=float, default=None)
@click.option("--province", default=None, help="Province of COUNTY, where its name is ambiguous.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def explain(county, plan_path, scenario_path, dataset, norms, fallback, time_limit, province, fmt) -> None:
    """A county's score, its year and the constraints that kept it from an earlier year."""
    from twentyten.plan.explain import explain_county

    _check_time_limit(time_limit)
    src = Sources(scenario_path, dataset, tuple(norms), fallback)
    if plan_path:
        result = _plan_or_solve(plan_path, src, time_limit)
    else:
        inst = _instance(src)
        result = _usable(_solve(inst, "optimal", time_limit))
    cid = _find_county(result.inputs, county, province, dataset)
    ex = explain_county(result, cid)
    if fmt == "json":
        import json
        from dataclasses import asdict

        click.echo(json.dumps(asdict(ex), ensure_ascii=False, indent=1, default=str))
        status(result.status_line())
        return
    if fmt == "csv":
        from twentyten.cli._common import emit_rows

        rows = [{"county_id": ex.county, "facility": p.facility_type, "year": "" if p.year is None else p.year,
                 "status": p.status, "not_year": r.year, "why": "; ".join(r.constraints)}
                for p in ex.packages for r in (p.earlier or ())]
        emit_rows(rows, "csv", columns=["county_id", "facility", "year", "status", "not_year", "why"])
        status(result.status_line())
        return
    for line in ex.lines():
        click.echo(line)
    click.echo("binding by year:")
    for y, names in ex.binding_by_year.items():
        click.echo(f"  {y}: {', '.join(names) or '(none)'}")
    status(result.status_line())


def _find_county(inp, query: str, province: str | None = None, dataset: str | None = None) -> str:
    """The county id for a name or id; a clear error with candidates otherwise."""
    if query in inp.county_index:
        return query
    from twentyten.atlas import load_atlas
    from twentyten.atlas.model import AmbiguousRegion, UnknownRegion
    from twentyten.atlas.validate import AtlasValidationError

    same = [c for c, name in enumerate(inp.county_names) if name.casefold() == query.casefold()
            and (province is None or inp.province_name(inp.county_province[c]).casefold() == province.casefold())]
    if len(same) == 1:
        return inp.counties[same[0]]
    try:
        r = load_atlas(dataset).find(query, province=province)
    except (FileNotFoundError, AtlasValidationError) as e:
        bad_input(f"county {query!r} is not a county name or id of this plan, and the dataset "
                  f"to look it up in cannot be read: {str(e).splitlines()[0]}")
    except AmbiguousRegion as e:
        bad_input(f"county {query!r} is ambiguous: {e}",
                  ["name the province with --province, or give the county id"])
    except UnknownRegion as e:
        bad_input(f"county {query!r}: {e}")
    if r.id in inp.county_index:
        return r.id
    bad_input(f"{query!r} ({r.id}) is not a county of this plan")
    raise AssertionError


__all__ = ["plan"]
