"""The offshore farm of a coastal county: kelp and shellfish longlines with a shore base."""

from __future__ import annotations

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    catalogue_reason,
    ceil,
    facility,
    fmt,
    population,
)
from twentyten.design.basis import qmax, qmin
from twentyten.domain.message import Msg
from twentyten.domain.region import Region
from twentyten.standards.model import Standard


def is_coastal(region: Region) -> bool:
    return bool(region.coastal) or region.physiography == "coastal"


def design_offshore_farm(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Hectares from population (within a minimum and maximum), output from mariculture
    yields; only for coastal counties."""
    if not is_coastal(region):
        return Designed(notes=(Msg("No offshore farm: the county has no coast."),))
    pop = population(region)
    n = Norms(standard, explain)
    people = n.of(pop, "population")
    raw = people / 1000 * n.q("offshore.ha_per_1000")
    area = qmin(n.q("offshore.max_ha"), qmax(n.q("offshore.min_ha"), raw))
    farm = area.called("farm", "ha")
    kelp_area = farm * n.q("offshore.kelp_share")
    shell_area = farm - kelp_area.called("kelp", "ha")
    kelp = kelp_area.called("kelp", "ha") * n.q("offshore.kelp_t_per_ha")
    shell = shell_area.called("shellfish", "ha") * n.q("offshore.shellfish_t_per_ha")
    base = n.q("offshore.shore_base_m2")
    sea_labour_q = farm / 100 * n.q("offshore.regiment_months_per_100ha")
    sea_materials_q = farm * n.q("offshore.materials_t_per_ha")
    ha, kelp_ha, shell_ha, kelp_t, shell_t = area.value, kelp_area.value, shell_area.value, kelp.value, shell.value
    base_m2, sea_labour, sea_materials = base.value, sea_labour_q.value, sea_materials_q.value
    basis: dict[str, str] = {}
    if n.explain:
        basis = {
            "area_ha": area.basis("ha"), "kelp_ha": kelp_area.basis("ha"), "shellfish_ha": shell_area.basis("ha"),
            "kelp_t_per_year": kelp.basis("t"), "shellfish_t_per_year": shell.basis("t"),
            "shore_base_m2": base.text,
        }
    b = build(n, "offshore_farm", base_m2, extra_labour=sea_labour, extra_materials=sea_materials)
    if n.explain:
        b.basis["labour_regiment_months"] += f" (sea: {sea_labour_q.basis()})"
        b.basis["materials_t"] += f" (sea: {sea_materials_q.basis()})"
    cost_q = farm * n.q("offshore.cost_per_ha") + base.called("shore base", "m²") * n.q("offshore.shore_base_cost_per_m2")
    workers = farm * n.q("offshore.workers_per_ha")
    cost, workforce = cost_q.value, ceil(workers.value)
    if n.explain:
        basis["cost"] = cost_q.basis(standard.standards.cost_unit)
        basis["workforce"] = f"⌈{workers.basis()}⌉ = {workforce}"
    reasons = (
        catalogue_reason(standard, "offshore_farm"),
        Msg("{area} ha: {kelp} ha of kelp longlines and {shellfish} ha of shellfish.", area=fmt(ha),
            kelp=fmt(kelp_ha), shellfish=fmt(shell_ha)),
    )
    return Designed((
        facility(
            n, "offshore_farm", Msg("Offshore farm"), b,
            capacity={"area_ha": round(ha, 1), "kelp_ha": round(kelp_ha, 1), "shellfish_ha": round(shell_ha, 1),
                      "shore_base_m2": round(base_m2)},
            lines=(Msg("Kelp longlines"), Msg("Shellfish longlines (mussels, scallops)"), Msg("Hatchery and shore base")),
            reasons=reasons, cost=cost, workforce=workforce,
            outputs={"kelp_t_per_year": round(kelp_t), "shellfish_t_per_year": round(shell_t)},
            basis=basis,
        ),
    ))
