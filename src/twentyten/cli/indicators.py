"""`twentyten indicators`: population covered by each facility type, effort per head by
county, and the regional balance of access (Theil T and L with their between/within-province
split, Williamson, population-weighted Gini, capital-versus-regions gap) for a plan or a state.

Data goes to stdout; exit 2 for bad input (one line naming the file, line or key, and why).
"""

from __future__ import annotations

from pathlib import Path

import click

from twentyten.cli._common import FORMATS, bad_input, console, emit_rows


@click.command("indicators")
@click.option("--plan", "plan_path", default="out/plan.json", show_default=True, type=click.Path(dir_okay=False),
              help="A saved plan: what it builds, and the county frame (counties, populations, sizes).")
@click.option("--state", "state_path", default=None, type=click.Path(dir_okay=False),
              help="What is built instead of the plan's schedule: CSV county_id,facility_type,year "
                   "(the record, or a simulated year); the plan still gives the county frame.")
@click.option("--year", type=int, default=None, help="By the end of this year (default: the plan's last).")
@click.option("--dataset", default=None, help="Dataset whose indicators.yaml names the capital "
              "(default: the one the plan was made from).")
@click.option("--capacity", is_flag=True, default=False,
              help="Design each county's facilities in service and report the capacity indicators.yaml "
                   "names (beds, seats, tonnes...) per 1,000 people (a few seconds).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def indicators(plan_path, state_path, year, dataset, capacity, fmt) -> None:
    """Coverage and regional balance of facility access by a year."""
    import json

    from twentyten.indicators.coverage import IndicatorError, built_from_plan, load_spec, read_state
    from twentyten.indicators.coverage import indicators as compute
    from twentyten.plan.saved import SavedPlanError, load_result

    if not Path(plan_path).exists():
        bad_input(f"{plan_path}: no such plan (write one with `twentyten plan --out DIR`, or give --plan)")
    try:
        saved, result = load_result(plan_path)
    except SavedPlanError as e:
        bad_input(str(e))
    inp = result.inputs
    if dataset is None and saved.identity is not None:
        dataset = saved.identity.dataset
    try:
        spec = load_spec(dataset)
        built = read_state(state_path, inp) if state_path else built_from_plan(inp, result.year)
    except IndicatorError as e:
        bad_input(str(e))
    except FileNotFoundError as e:
        bad_input(f"--dataset {dataset}: {e}")
    if year is None:
        year = inp.years[-1]
    elif not 1 <= year <= 9999:
        bad_input(f"--year {year}: not a year")
    elif not state_path and not inp.years[0] <= year <= inp.years[-1]:
        # the plan says nothing outside its horizon: the state then would be a guess
        bad_input(f"--year {year}: outside the plan's horizon {inp.years[0]}-{inp.years[-1]} "
                  "(give --state for what was built in other years)")
    try:
        out = compute(inp, built, year, spec.capital.region, state_path or plan_path)
        if capacity:
            from twentyten.indicators.coverage import add_capacity, design_capacity

            if not spec.capacity:
                bad_input("--capacity: the dataset's indicators.yaml names no capacity per facility type")
            cap = design_capacity(inp, built, year, spec.capacity, dataset)
            out = add_capacity(out, inp, cap, spec.capacity)
    except IndicatorError as e:
        bad_input(str(e))
    except FileNotFoundError as e:
        bad_input(f"--dataset {dataset}: {e}")
    if fmt == "json":
        click.echo(json.dumps(out.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        return
    if fmt == "csv":
        emit_rows(out.counties, "csv")
        return
    b = out.balance
    console().print(f"Indicators by the end of {out.year} ({out.source}); capital: {out.capital}")
    emit_rows(out.coverage, "table", title="Population covered by each facility type")
    rows = [
        {"index": "Theil T", "total": b["theil_t"]["total"], "within provinces": b["theil_t"]["within_province"],
         "between provinces": b["theil_t"]["between_province"]},
        {"index": "Theil L", "total": b["theil_l"]["total"], "within provinces": b["theil_l"]["within_province"],
         "between provinces": b["theil_l"]["between_province"]},
        {"index": "Williamson", "total": b["williamson"], "within provinces": None, "between provinces": None},
        {"index": "Gini (population-weighted)", "total": b["gini"], "within provinces": None,
         "between provinces": None},
    ]
    rows = [{k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    emit_rows(rows, "table", title=f"Regional balance of {b['measure']}")
    if out.capacity:
        emit_rows(out.capacity, "table", title="Design capacity in service, per 1,000 people")
    g = b["capital_gap"]
    console().print(f"capital vs. regions (access): capital {g['capital']}, regions {g['regions']}, "
                    f"ratio {g['ratio']}, difference {g['difference']}")
    for n in out.notes:
        console().print(f"note: {n}")
