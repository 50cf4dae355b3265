"""The grain storage (grain management centre): drying, selection, processing, storage
and automatic climate control."""

from __future__ import annotations

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    catalogue_reason,
    facility,
    fmt,
    payer_reason,
    population,
)
from twentyten.design.basis import const, qceil, qmax
from twentyten.domain.message import Msg
from twentyten.domain.region import Region
from twentyten.standards.model import Standard

#: What sized the store, and the kinds of county, in words a page translates.
_BINDS = {"the rations held": Msg("the rations held"), "the procured local harvest": Msg("the procured local harvest")}
_PHYSIOGRAPHY = {"mountainous": Msg("mountainous"), "lowland": Msg("lowland"), "coastal": Msg("coastal"),
                 "industrial-urban": Msg("industrial-urban"), "county": Msg("county")}


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
    ration_t, procured_t = rations.value, procured.value
    tonnes, volume = stored.value, volume_q.value
    binding = "the rations held" if ration_t >= procured_t else "the procured local harvest"
    basis: dict[str, str] = {}
    if n.explain:
        basis = {
            "harvest_t": harvest_q.basis("t"), "rations_t": rations.basis("t"), "procured_t": procured.basis("t"),
            "storage_t": stored.basis("t") + f" ({binding} binds)", "storage_m3": volume_q.basis("m³"),
        }
    harvest_n = harvest_q.called("harvest", "t")
    stored_n = stored.called("stored", "t")
    dried_q = harvest_n * n.q("grain.mech_dried_share")
    dry_q = dried_q / n.q("grain.harvest_window_days")
    dryers_q = qmax(const(1), qceil(dry_q.called("drying", "t/day")
                                    / (n.q("grain.dryer_t_per_batch") * n.q("grain.dryer_batches_per_day"))))
    process_q = (stored_n + harvest_n) / n.q("grain.processing_days_per_year")
    aeration_q = stored_n * n.q("grain.aeration_m3_min_per_t")
    store_q = volume_q.called("store", "m³") / n.q("grain.stack_height_m")
    floor_q = store_q.called("store floor", "m²") + n.q("grain.processing_hall_m2") + (
        process_q.called("processing", "t/day") * n.q("grain.processing_m2_per_t_day"))
    floor_n = floor_q.called("floor", "m²")
    cost_q = (floor_n * n.q("grain.cost_per_m2") + dryers_q.called("dryers") * n.q("grain.dryer_cost")
              + n.q("grain.control_cost"))
    workforce_q = qceil(n.q("grain.workers_base") + stored_n / 1000 * n.q("grain.workers_per_1000t"))
    dry_t_day, dryers, process_t_day = dry_q.value, int(dryers_q.value), process_q.value
    aeration, floor, cost, workforce = aeration_q.value, floor_q.value, cost_q.value, int(workforce_q.value)
    if n.explain:
        basis.update({
            "dryer_t_per_day": dry_q.basis("t/day"),
            "dryers": dryers_q.basis(),
            "processing_t_per_day": process_q.basis("t/day"),
            "aeration_m3_per_min": aeration_q.basis(),
            "max_grain_temp_c": n.cite("grain.max_grain_temp_c"),
            "max_moisture_pct": n.cite("grain.max_moisture_pct"),
            "floor_m2": floor_q.basis("m²"),
            "cost": cost_q.basis(standard.standards.cost_unit),
            "workforce": workforce_q.basis(),
            "grain_stored_t": basis["storage_t"],
            "grain_dried_t_per_season": dried_q.basis("t"),
        })
    else:
        n("grain.max_grain_temp_c")
        n("grain.max_moisture_pct")
    b = build(n, "grain_storage", floor)
    lines = (
        Msg("Drying ({dryers} re-circulating batch dryers)", dryers=dryers),
        Msg("Selection and cleaning"),
        Msg("Processing: milling and packaging"),
        Msg("Storage ({tonnes} t)", tonnes=fmt(round(tonnes))),
        Msg("Automatic temperature, humidity and insect-sterilisation control"),
    )
    reasons = (
        catalogue_reason(standard, "grain_storage"),
        Msg("Sized to {binding}: {rations} t of rations ({months} months for the share of the people fed from public "
            "grain stocks, {pds_share}) against {procured} t of the county's own harvest procured by the state (an "
            "estimate from its physiography).", binding=_BINDS[binding], rations=fmt(round(ration_t)),
            months=fmt(months), pds_share=standard.cite("grain.pds_share"), procured=fmt(round(procured_t))),
        Msg("Dryers sized for the harvest of a {physiography} area passing through in the harvest window.",
            physiography=_PHYSIOGRAPHY.get(region.physiography or "county", region.physiography or "county")),
        payer_reason(n, "grain_storage", b.payer_split),
    )
    return Designed((
        facility(
            n, "grain_storage", Msg("Grain storage"), b,
            capacity={
                "storage_t": round(tonnes), "storage_m3": round(volume), "dryers": dryers,
                "dryer_t_per_day": round(dry_t_day, 1), "processing_t_per_day": round(process_t_day, 1),
                "aeration_m3_per_min": round(aeration), "max_grain_temp_c": n("grain.max_grain_temp_c"),
                "max_moisture_pct": n("grain.max_moisture_pct"), "floor_m2": round(floor),
            },
            lines=lines, reasons=reasons, cost=cost, workforce=workforce,
            outputs={"grain_stored_t": round(tonnes), "grain_dried_t_per_season": round(dried_q.value)},
            basis=basis,
        ),
    ))
