"""The grain storage (grain management centre): drying, selection, processing, storage
and automatic climate control."""

from __future__ import annotations

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    catalogue_reason,
    ceil,
    facility,
    fmt,
    payer_reason,
    population,
)
from twentyten.design.basis import qmax
from twentyten.domain.region import Region
from twentyten.standards.model import Standard


def design_grain_storage(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Storage tonnage from the larger of the rations held and the procured local harvest,
    volume via bulk density, dryers from the harvest
    passing through the centre in the harvest window, aeration from the design airflow."""
    pop = population(region)
    n = Norms(standard, explain)
    people = n.of(pop, "population")
    months = n("grain.months_held")
    hkey, _ = n.first(f"grain.harvest_factor.{region.physiography}", "grain.harvest_factor")
    harvest_q = people * n.q("grain.utilisation_kg_per_capita") / 1000 * n.q(hkey)
    rations = (people * n.q("grain.pds_share") * n.q("grain.ration_g_per_day") * 365 / 1e6
               * n.q("grain.months_held") / 12)
    procured = harvest_q.called("harvest", "t") * n.q("grain.procurement_share")
    # a grain-surplus county holds its procured harvest until it is shipped; a deficit county
    # holds the rations of the people fed from public stocks
    stored = qmax(rations.called("rations", "t"), procured.called("procured harvest", "t"))
    volume_q = stored.called("storage", "t") / n.q("grain.storage_t_per_m3")
    harvest, ration_t, procured_t = harvest_q.value, rations.value, procured.value
    tonnes, volume = stored.value, volume_q.value
    binding = "the rations held" if ration_t >= procured_t else "the procured local harvest"
    basis: dict[str, str] = {}
    if n.explain:
        basis = {
            "harvest_t": harvest_q.basis("t"), "rations_t": rations.basis("t"), "procured_t": procured.basis("t"),
            "storage_t": stored.basis("t") + f" ({binding} binds)", "storage_m3": volume_q.basis("m³"),
        }
    dry_t_day = harvest * n("grain.mech_dried_share") / n("grain.harvest_window_days")
    per_dryer = n("grain.dryer_t_per_batch") * n("grain.dryer_batches_per_day")
    dryers = max(1, ceil(dry_t_day / per_dryer))
    if n.explain:
        basis["dryer_t_per_day"] = (
            f"{n.f(harvest)} t × {n.cite('grain.mech_dried_share')} / {n.cite('grain.harvest_window_days')} = "
            f"{n.f(dry_t_day)} t/day"
        )
    if n.explain:
        basis["dryers"] = (
            f"{n.f(dry_t_day)} t/day / ({n.cite('grain.dryer_t_per_batch')} × "
            f"{n.cite('grain.dryer_batches_per_day')}) → {dryers}"
        )
    process_t_day = (tonnes + harvest) / n("grain.processing_days_per_year")
    if n.explain:
        basis["processing_t_per_day"] = (
            f"(stored {n.f(tonnes)} t + harvest {n.f(harvest)} t) / {n.cite('grain.processing_days_per_year')}"
            f" = {n.f(process_t_day)} t/day"
        )
    aeration = tonnes * n("grain.aeration_m3_min_per_t")
    if n.explain:
        basis["aeration_m3_per_min"] = f"{n.f(tonnes)} t × {n.cite('grain.aeration_m3_min_per_t')} = {n.f(aeration)}"
    if n.explain:
        basis["max_grain_temp_c"] = n.cite("grain.max_grain_temp_c")
    if n.explain:
        basis["max_moisture_pct"] = n.cite("grain.max_moisture_pct")
    store_m2 = volume / n("grain.stack_height_m")
    hall_m2 = n("grain.processing_hall_m2") + process_t_day * n("grain.processing_m2_per_t_day")
    floor = store_m2 + hall_m2
    if n.explain:
        basis["floor_m2"] = (
            f"store {n.f(volume)} m³ / {n.cite('grain.stack_height_m')} = {n.f(store_m2)} + hall "
            f"{n.cite('grain.processing_hall_m2')} + {n.f(process_t_day)} t/day × "
            f"{n.cite('grain.processing_m2_per_t_day')} = {n.f(floor)} m²"
        )
    cost = floor * n("grain.cost_per_m2") + dryers * n("grain.dryer_cost") + n("grain.control_cost")
    if n.explain:
        basis["cost"] = (
            f"{n.f(floor)} m² × {n.cite('grain.cost_per_m2')} + {dryers} dryers × {n.cite('grain.dryer_cost')} + "
            f"controls {n.cite('grain.control_cost')} = {n.f(cost)} {standard.standards.cost_unit}"
        )
    workforce = ceil(n("grain.workers_base") + tonnes / 1000 * n("grain.workers_per_1000t"))
    if n.explain:
        basis["workforce"] = (
            f"{n.cite('grain.workers_base')} + {n.f(tonnes)} t / 1000 × {n.cite('grain.workers_per_1000t')} = {workforce}"
        )
    if n.explain:
        basis["grain_stored_t"] = basis["storage_t"]
        basis["grain_dried_t_per_season"] = f"{n.f(harvest)} t × {n.cite('grain.mech_dried_share')}"
    b = build(n, "grain_storage", floor)
    lines = (
        f"Drying ({dryers} re-circulating batch dryers)",
        "Selection and cleaning",
        "Processing: milling and packaging",
        f"Storage ({fmt(round(tonnes))} t)",
        "Automatic temperature, humidity and insect-sterilisation control",
    )
    reasons = (
        catalogue_reason(standard, "grain_storage"),
        f"Sized to {binding}: {fmt(round(ration_t))} t of rations ({fmt(months)} months for the share of the people "
        f"fed from public grain stocks, {standard.cite('grain.pds_share')}) against {fmt(round(procured_t))} t of the "
        "county's own harvest procured by the state (an estimate from its physiography).",
        f"Dryers sized for the harvest of a {region.physiography or 'county'} area passing through in the "
        "harvest window.",
        payer_reason(n, "grain_storage", b.payer_split),
    )
    return Designed((
        facility(
            n, "grain_storage", "Grain storage", b,
            capacity={
                "storage_t": round(tonnes), "storage_m3": round(volume), "dryers": dryers,
                "dryer_t_per_day": round(dry_t_day, 1), "processing_t_per_day": round(process_t_day, 1),
                "aeration_m3_per_min": round(aeration), "max_grain_temp_c": n("grain.max_grain_temp_c"),
                "max_moisture_pct": n("grain.max_moisture_pct"), "floor_m2": round(floor),
            },
            lines=lines, reasons=reasons, cost=cost, workforce=workforce,
            outputs={"grain_stored_t": round(tonnes), "grain_dried_t_per_season": round(harvest * n("grain.mech_dried_share"))},
            basis=basis,
        ),
    ))
