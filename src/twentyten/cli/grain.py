"""`twentyten grain`: equilibrium moisture, aeration advice, season simulation, storage sizing."""

from __future__ import annotations

from typing import Any

import click

from twentyten.cli._common import FORMATS, bad_input, check_output_file, emit_rows, fail, status

CROP_CHOICE = click.Choice(("maize", "paddy", "wheat", "soybean", "barley"))


def _crop(name: str, model: str | None = None) -> Any:
    from twentyten.grain.norms import GrainNormsError, crop

    try:
        return crop(name, model)
    except GrainNormsError as exc:
        bad_input(str(exc))


def _warn(lines) -> None:
    for w in lines:
        click.secho(f"warning: {w}", fg="yellow", err=True)


def _write(path: str, text: str) -> None:
    """Write whole or not at all: a temp file beside the target, then os.replace."""
    from twentyten.outputs import write_file

    try:
        write_file(path, text)
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror})")


def _emit(rows, fmt: str, out: str | None, title: str | None = None) -> None:
    if out is None:
        emit_rows(rows, fmt, title=title)
        return
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        emit_rows(rows, "csv" if fmt == "table" else fmt, title=title)
    _write(out, buf.getvalue())
    status(f"wrote {len(rows)} rows to {out}")


@click.group()
def grain() -> None:
    """Grain storage advisor: keep every county's grain cool, dry and free of insects."""


@grain.command()
@click.option("--crop", "crop_name", type=CROP_CHOICE, required=True)
@click.option("--temperature", type=float, required=True, help="Air/grain temperature, C.")
@click.option("--rh", type=float, default=None, help="Relative humidity, % (gives the EMC).")
@click.option("--moisture", type=float, default=None, help="Grain moisture, % (gives the ERH).")
@click.option("--basis", type=click.Choice(("wet", "dry")), default="wet", show_default=True)
@click.option("--model", type=click.Choice(("modified_henderson", "chung_pfost", "modified_chung_pfost")),
              default=None, help="Another ASABE D245 form with coefficients for this crop.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def emc(crop_name: str, temperature: float, rh: float | None, moisture: float | None, basis: str,
        model: str | None, fmt: str) -> None:
    """Equilibrium moisture content (--rh) or equilibrium relative humidity (--moisture).

    \b
    Examples:
      twentyten grain emc --crop maize --temperature 15.6 --rh 80
      twentyten grain emc --crop paddy --temperature 25 --moisture 14
    """
    from twentyten.grain.emc import emc as emc_f
    from twentyten.grain.emc import erh as erh_f

    if (rh is None) == (moisture is None):
        bad_input("give exactly one of --rh (for the EMC) or --moisture (for the ERH)")
    if not -40 <= temperature <= 80:
        bad_input(f"--temperature {temperature:g}: outside -40..80 C")
    c = _crop(crop_name, model)
    row: dict[str, Any] = {"crop": crop_name, "model": c.emc.model, "coefficients_quality": c.emc.quality,
                           "temperature_c": temperature}
    if rh is not None:
        if not 0 < rh < 100:
            bad_input(f"--rh {rh:g}: must be between 0 and 100 (exclusive)")
        row.update(rh_pct=rh, basis=basis, emc_pct=round(float(emc_f(c, temperature, rh, basis)), 2))
    else:
        assert moisture is not None
        if not 0 < moisture < (60 if basis == "wet" else 150):
            bad_input(f"--moisture {moisture:g}: not a grain moisture on the {basis} basis")
        row.update(moisture_pct=moisture, basis=basis, erh_pct=round(float(erh_f(c, temperature, moisture, basis)), 1))
    row["source"] = c.emc.source
    if c.emc.weak:
        _warn([f"{crop_name}: coefficients are weak ({c.emc.quality}); use the value as an indication"])
    if not (0 <= temperature <= 50) or (rh is not None and not 10 <= rh <= 90):
        _warn(["outside the range the D245 equations were fitted on (about 0-50 C, 10-90 % RH): extrapolation"])
    emit_rows([row], fmt, title="Equilibrium moisture")


@grain.command()
@click.argument("readings", type=click.Path(dir_okay=False))
@click.option("--crop", "crop_name", type=CROP_CHOICE, default="paddy", show_default=True)
@click.option("--target-moisture", type=float, default=14.0, show_default=True, help="% wet basis.")
@click.option("--airflow", type=float, default=0.1, show_default=True, help="Aeration airflow, m3/min per t.")
@click.option("--storage-months", type=float, default=6.0, show_default=True, help="Intended storage time.")
@click.option("--margin", type=float, default=3.0, show_default=True, help="Air must be this much cooler, C.")
@click.option("--show", type=click.Choice(("hours", "alerts", "lots")), default="hours", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file (whole or not at all).")
def advise(readings: str, crop_name: str, target_moisture: float, airflow: float, storage_months: float,
           margin: float, show: str, fmt: str, out: str | None) -> None:
    """Fans hour by hour with reasons, alerts, and dry-matter loss per lot, from READINGS (CSV or JSON).

    \b
    Examples:
      twentyten grain advise readings.csv --crop paddy --target-moisture 14
      twentyten grain advise readings.json --show alerts --format json
      twentyten grain advise readings.csv --show lots
    """
    import numpy as np

    from twentyten.grain.advise import AdvisorConfig, advise_arrays
    from twentyten.grain.readings import MAX_SHOWN, ReadingsError, read_readings

    if not 8 <= target_moisture <= 30:
        bad_input(f"--target-moisture {target_moisture:g}: outside 8..30 % w.b.")
    if not 0 < airflow <= 5:
        bad_input(f"--airflow {airflow:g}: outside 0..5 m3/min per t")
    if not 0 < storage_months <= 120:
        bad_input(f"--storage-months {storage_months:g}: outside 0..120 months")
    if not 0 <= margin <= 20:
        bad_input(f"--margin {margin:g}: outside 0..20 C")
    check_output_file("--out", out)
    c = _crop(crop_name)
    try:
        bins = read_readings(readings)
    except ReadingsError as exc:
        shown = exc.problems[:MAX_SHOWN]
        more = len(exc.problems) - len(shown)
        bad_input(str(exc), shown + ([f"... and {more} more"] if more else []))
    cfg = AdvisorConfig(target_moisture_wb_pct=target_moisture, airflow_m3_min_per_t=airflow, margin_c=margin,
                        storage_months=storage_months)
    rows: list[dict[str, Any]] = []
    warned: set[str] = set()
    for br in bins:
        mo = None if br.moisture is None else br.moisture[None]
        r = advise_arrays(c, br.grain_t[None], br.ambient_t[None], br.ambient_rh[None], cfg, moisture=mo)
        for w in r.warnings:
            if w not in warned:
                warned.add(w)
                _warn([w])
        if show == "hours":
            for h, t in enumerate(br.times):
                rows.append({"bin": br.bin, "time": t.isoformat(), "fan": "on" if r.fan[0, h] else "off",
                             "reason": r.reason_text(0, h), "grain_mean_c": round(float(r.grain_mean_c[0, h]), 2),
                             "grain_max_c": round(float(r.grain_max_c[0, h]), 2), "air_c": round(float(br.ambient_t[h]), 2),
                             "air_rh_pct": round(float(br.ambient_rh[h]), 1),
                             "air_emc_pct": round(float(r.air_emc_wb_pct[0, h]), 2)})
        elif show == "alerts":
            for a in r.alerts:
                cable, depth = br.sensors[a.sensor] if a.sensor >= 0 else ("", None)
                rows.append({"bin": br.bin, "time": br.times[a.hour].isoformat(), "kind": a.kind,
                             "cable": cable, "depth": depth, "message": a.message})
        else:
            rows.append({"bin": br.bin, "hours": len(br.times), "fan_hours": int(r.fan.sum()),
                         "dml_pct": round(float(r.dml_pct[0]), 4), "days_left_to_0.5pct_dml": round(float(r.days_left[0]), 1),
                         "warmest_c_now": round(float(r.grain_max_c[0, -1]), 1),
                         "alerts": len(r.alerts),
                         **{f"dd_{k.split(' ')[0]}": round(float(v[0]), 1) for k, v in r.insect_dd.items()
                            if k in ("Coleoptera (mean)", "Sitophilus oryzae")}})
    del np
    status(f"{len(bins)} bin(s), {sum(len(b.times) for b in bins)} hour(s) advised")
    _emit(rows, fmt, out, title=f"Grain advice ({show})")


@grain.command()
@click.option("--weather", default="pyongyang", show_default=True,
              help="Hourly CSV (time,temp_c,rh_pct) or 'pyongyang' for the bundled normals.")
@click.option("--crop", "crop_name", type=CROP_CHOICE, default="paddy", show_default=True)
@click.option("--start-moisture", type=float, required=True, help="% wet basis.")
@click.option("--start-temp", type=float, default=None, help="Grain temperature at filling, C (default: first hour's air).")
@click.option("--airflow", type=float, default=0.1, show_default=True, help="m3/min per t.")
@click.option("--compare-airflow", "compare_airflows", type=float, multiple=True,
              help="Also run at this airflow (m3/min per t), side by side; repeatable.")
@click.option("--days", type=int, default=200, show_default=True)
@click.option("--start", "start_date", default="2025-10-01", show_default=True, help="Start date for 'pyongyang'.")
@click.option("--depth", type=float, default=6.0, show_default=True, help="Grain depth, m.")
@click.option("--target-moisture", type=float, default=14.0, show_default=True)
@click.option("--html", type=click.Path(dir_okay=False), default=None, help="Write a self-contained HTML report.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def simulate(weather: str, crop_name: str, start_moisture: float, start_temp: float | None, airflow: float,
             compare_airflows: tuple[float, ...], days: int, start_date: str, depth: float, target_moisture: float, html: str | None, fmt: str) -> None:
    """Run a bin through a season and compare fan strategies by fan hours and grain quality.

    \b
    Examples:
      twentyten grain simulate --crop paddy --start-moisture 15 --airflow 0.1
      twentyten grain simulate --weather hourly.csv --start-moisture 16 --html season.html
      twentyten grain simulate --start-moisture 15 --airflow 0.1 --compare-airflow 0.05 --compare-airflow 0.2
    """
    from datetime import datetime

    from twentyten.grain.report import season_html
    from twentyten.grain.simulate import SimConfig
    from twentyten.grain.simulate import simulate as run
    from twentyten.grain.weather import WeatherError, pyongyang, read_weather

    if not 8 <= start_moisture <= 30:
        bad_input(f"--start-moisture {start_moisture:g}: outside 8..30 % w.b.")
    for q in (airflow, *compare_airflows):
        if not 0 < q <= 5:
            bad_input(f"--airflow {q:g}: outside 0..5 m3/min per t")
    if not 0 < depth <= 40:
        bad_input(f"--depth {depth:g}: outside 0..40 m")
    if start_temp is not None and not -40 <= start_temp <= 80:
        bad_input(f"--start-temp {start_temp:g}: outside -40..80 C")
    if not 8 <= target_moisture <= 30:
        bad_input(f"--target-moisture {target_moisture:g}: outside 8..30 % w.b.")
    check_output_file("--html", html)
    c = _crop(crop_name)
    try:
        if weather == "pyongyang":
            if not 1 <= days <= 3660:
                bad_input(f"--days {days}: outside 1..3660")
            w = pyongyang(datetime.fromisoformat(start_date), days)
        else:
            w = read_weather(weather)
    except WeatherError as exc:
        bad_input(str(exc))
    except ValueError:
        bad_input(f"--start {start_date!r}: not an ISO date")
    t0 = float(w.temp_c[0]) if start_temp is None else start_temp
    cfg = SimConfig(start_moisture, t0, airflow, depth, target_moisture_wb_pct=target_moisture,
                    compare_airflows=tuple(compare_airflows))
    status(f"simulating {w.hours} h of {w.source}")
    r = run(c, w, cfg)
    _warn(r.warnings)
    rows = [{"strategy": x.strategy, "airflow_m3_min_per_t": x.airflow_m3_min_per_t, "fan_hours": x.fan_hours, "final_moisture_pct": round(x.final_moisture_wb_pct, 2),
             "wettest_layer_pct": round(x.max_layer_moisture_wb_pct, 2), "final_temp_c": round(x.final_temp_c, 1),
             "max_dml_pct": round(x.max_dml_pct, 3),
             "coleoptera_dd": round(x.insect_dd.get("Coleoptera (mean)", 0.0), 0),
             "sitophilus_dd": round(x.insect_dd.get("Sitophilus oryzae", 0.0), 0)} for x in r.results]
    if html:  # before the table: a report that could not be written leaves no output behind
        _write(html, season_html(r))
        status(f"wrote {html}")
    emit_rows(rows, fmt, title=f"Season: {crop_name}, {w.hours} h")


@grain.command()
@click.argument("county", required=False)
@click.option("--all", "all_", is_flag=True, help="Every city and county.")
@click.option("--province", "-p", default=None)
@click.option("--crop", "crop_name", type=CROP_CHOICE, default="paddy", show_default=True)
@click.option("--year", type=int, default=None,
              help="Year of the standard (default: the programme's first year, as `twentyten design`).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def size(county: str | None, all_: bool, province: str | None, crop_name: str, year: int | None, fmt: str) -> None:
    """Bins, aeration fans and dryer fans for COUNTY's grain storage from its design.

    \b
    Examples:
      twentyten grain size Kimhwa
      twentyten grain size --all --format csv
    """
    from twentyten.atlas import load_atlas
    from twentyten.cli.atlas import find_region
    from twentyten.cli.standards import first_programme_year, year_standard
    from twentyten.design import DesignError, design_package
    from twentyten.grain.sizing import size_storage
    from twentyten.standards import StandardsError, load_standards

    if bool(county) == all_:
        bad_input("give one COUNTY or --all")
    try:
        std = load_standards()
    except StandardsError as exc:
        fail(str(exc))
    year = first_programme_year(std) if year is None else year
    try:
        atlas = load_atlas(None)
    except (OSError, ValueError) as exc:
        fail(f"cannot load the atlas: {exc}")
    regions = [find_region(atlas, county, province)] if county else list(atlas.counties())
    if regions and regions[0].level.value != "county":
        bad_input(f"{regions[0].name} is a {regions[0].level.value}; give one of its cities or counties",
                  [f"twentyten atlas list --province {regions[0].id}"])
    from twentyten.design.inputs import InputsError, designed_regions

    try:
        designed = designed_regions(atlas)
    except InputsError as exc:
        bad_input(str(exc))
    regions = [designed.get(r.id, r) for r in regions]
    c = _crop(crop_name)
    std_year = year_standard(std, year)
    norms = {k: std_year.value(k) for k in ("grain.stack_height_m", "grain.dryer_t_per_batch",
                                              "grain.dryer_batches_per_day")}
    rows, basis = [], []
    for region in regions:
        try:
            pkg = design_package(region, year, std_year, explain=False)
        except DesignError as exc:
            click.echo(f"skipped: {exc}", err=True)
            continue
        fac = [f for f in pkg.facilities if f.facility_type == "grain_storage"]
        if not fac:
            continue
        s = size_storage(region.id, region.name, dict(fac[0].capacity), norms, c)
        rows.append(s.row())
        basis = [{"number": k, "how": v} for k, v in s.basis.items()]
    if county and fmt == "table" and basis:
        emit_rows(rows, fmt, title=f"Grain storage sizing ({year} standard)")
        emit_rows(basis, fmt, title="How")
        return
    emit_rows(rows, fmt, title=f"Grain storage sizing ({year} standard, {len(rows)} counties)")
