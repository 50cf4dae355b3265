"""`twentyten plan`: optimise the rollout; `compare` two scenarios; `explain` a county."""

from __future__ import annotations

import click
import numpy as np

from twentyten.cli._common import fail
from twentyten.domain.facility import SHORT


def _inputs(scenario_path: str | None):
    from twentyten.plan.adapter import inputs_from_atlas
    from twentyten.plan.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario_path)
        return sc, inputs_from_atlas(sc)
    except ScenarioError as e:
        fail(str(e))
    except ValueError as e:
        fail(str(e))
    raise AssertionError  # unreachable: fail exits


def _solve(inp, sc, method: str, time_limit: float | None, quiet: bool = False, export: str | None = None):
    from twentyten.plan.infeasibility import PlanInfeasible
    from twentyten.plan.solve import SolveOptions, solve_greedy, solve_plan

    if export:
        from twentyten.plan.model import build_model, export_mps

        export_mps(build_model(inp), export)
        if not quiet:
            click.echo(f"model written to {export}", err=True)
    if method == "greedy":
        return solve_greedy(inp)
    limit = float(time_limit if time_limit is not None else sc.time_limit)
    try:
        if quiet:
            return solve_plan(inp, SolveOptions(time_limit=limit, mip_rel_gap=sc.mip_rel_gap))
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("solving…") as status:
            def progress(p) -> None:
                gap = "—" if p.gap == float("inf") else f"{100 * p.gap:.3f} %"
                status.update(f"solving… {p.seconds:5.1f} s  incumbent {p.primal:,.2f}  "
                              f"bound {p.dual:,.2f}  gap {gap}")

            return solve_plan(
                inp, SolveOptions(time_limit=limit, mip_rel_gap=sc.mip_rel_gap, on_progress=progress)
            )
    except PlanInfeasible as e:
        fail("no plan satisfies these settings", e.problems)
    raise AssertionError


def _usable(result):
    """Stop with a clear message when the solver returned no plan that keeps every rule."""
    if result.violations:
        fail(
            f"no valid plan found ({result.status.value}); try a longer --time-limit",
            [f"{v.family}: {v.message}" for v in result.violations[:10]],
        )
    return result




def _short(name: str) -> str:
    """``year-cap[hospital,2027]`` -> ``cap:hosp``; ``construction-capacity[2027]`` -> ``labour``."""
    fam, _, rest = name.partition("[")
    if fam == "year-cap":
        return "cap:" + SHORT.get(rest.split(",")[0], rest.split(",")[0])
    return {"construction-capacity": "labour"}.get(fam, fam)


def _summary_rows(result) -> list[dict]:
    from twentyten.plan.solve import binding_capacities

    inp = result.inputs
    counts = result.counts()
    binding = binding_capacities(result)
    rows = []
    for j, y in enumerate(inp.years):
        row: dict = {"year": str(y)}
        for k, t in enumerate(inp.types):
            row[SHORT.get(t, t)] = int(counts[k, j])
        lab = inp.capacity.get("labour")
        used = float(result.load("labour")[j])
        row["labour used/cap"] = f"{used:,.0f}" + ("" if lab is None or not np.isfinite(lab[j]) else f" / {lab[j]:,.0f}")
        caps = [_short(n)[4:] for n in binding[y] if n.startswith("year-cap")]
        other = [_short(n) for n in binding[y] if not n.startswith("year-cap")]
        row["binding"] = " ".join(([f"cap({','.join(caps)})"] if caps else []) + other)
        rows.append(row)
    return rows


@click.group(invoke_without_command=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write report.html, plan.csv, plan.json and plan.geojson here.")
@click.option("--scenario", "scenario_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Scenario file (YAML); see examples/scenario.yaml.")
@click.option("--method", type=click.Choice(["optimal", "greedy"]), default="optimal", show_default=True)
@click.option("--time-limit", type=float, default=None, help="Solver seconds (default: scenario's, 20).")
@click.option("--export-model", "export", type=click.Path(dir_okay=False), default=None,
              help="Write the exact model solved to this MPS file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_context
def plan(ctx: click.Context, out_dir, scenario_path, method, time_limit, export, fmt) -> None:
    """Optimise the ten-year rollout and print a year-by-year summary."""
    if ctx.invoked_subcommand is not None:
        return
    from twentyten.cli._common import emit_rows

    sc, inp = _inputs(scenario_path)
    result = _usable(_solve(inp, sc, method, time_limit, export=export))
    emit_rows(_summary_rows(result), fmt, title="Rollout by year (packages built)")
    err = fmt != "table"  # keep csv/json on stdout parseable
    click.echo(result.status_line(), err=err)
    if result.status.value != "optimal" and result.method == "optimal":
        click.echo("note: this plan is NOT proven optimal (" + result.status.value + ")", err=err)
    for n in inp.notes:
        if n != "resource use from twentyten.design":  # the normal case needs no note
            click.echo(f"note: {n}", err=err)
    if out_dir:
        from twentyten.atlas import load_atlas
        from twentyten.plan.report import write_all

        for p in write_all(result, out_dir, load_atlas().shapes()):
            click.echo(f"wrote {p}", err=err)


@plan.command("compare")
@click.argument("a", type=click.Path(exists=True, dir_okay=False))
@click.argument("b", type=click.Path(exists=True, dir_okay=False))
@click.option("--time-limit", type=float, default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def compare(a, b, time_limit, fmt) -> None:
    """Solve scenario files A and B and show what moved and why."""
    from twentyten.cli._common import emit_rows
    from twentyten.plan.compare import compare_plans

    sa, ia = _inputs(a)
    sb, ib = _inputs(b)
    ra = _usable(_solve(ia, sa, "optimal", time_limit, quiet=True))
    rb = _usable(_solve(ib, sb, "optimal", time_limit, quiet=True))
    cmp = compare_plans(ra, rb)
    for line in cmp.lines():
        click.echo(line)
    def yr(v) -> str:  # a year, not a quantity: no thousands separator
        return "not built" if v is None else str(v)

    rows = [{"county": m.name, "county_id": m.county, "facility": m.facility_type,
             "year_a": yr(m.year_a), "year_b": yr(m.year_b), "why": m.why} for m in cmp.moves]
    if rows:
        emit_rows(rows, fmt, title="What moved")


@plan.command("explain")
@click.argument("county")
@click.option("--scenario", "scenario_path", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--time-limit", type=float, default=None)
@click.option("--province", default=None, help="Province of COUNTY, where its name is ambiguous.")
def explain(county, scenario_path, time_limit, province) -> None:
    """A county's score, its year and the constraints that kept it from an earlier year."""
    from twentyten.plan.explain import explain_county

    sc, inp = _inputs(scenario_path)
    cid = _find_county(inp, county, province)
    result = _usable(_solve(inp, sc, "optimal", time_limit, quiet=True))
    ex = explain_county(result, cid)
    for line in ex.lines():
        click.echo(line)
    click.echo("binding by year:")
    for y, names in ex.binding_by_year.items():
        click.echo(f"  {y}: {', '.join(names) or '(none)'}")
    click.echo(result.status_line())


def _find_county(inp, query: str, province: str | None = None) -> str:
    """The county id for a name or id; a clear error with candidates otherwise."""
    if query in inp.county_index:
        return query
    from twentyten.atlas import load_atlas
    from twentyten.atlas.model import AmbiguousRegion, UnknownRegion

    try:
        r = load_atlas().find(query, province=province)
    except AmbiguousRegion as e:
        fail(f"county {query!r} is ambiguous: {e}",
             ["name the province with --province, or give the county id"])
    except UnknownRegion as e:
        fail(f"county {query!r}: {e}")
    if r.id in inp.county_index:
        return r.id
    fail(f"{query!r} ({r.id}) is not a county of this plan")
    raise AssertionError


__all__ = ["plan"]
