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
from twentyten.domain.region import Region
from twentyten.standards.model import Standard


def is_coastal(region: Region) -> bool:
    return bool(region.coastal) or region.physiography == "coastal"


def design_offshore_farm(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Hectares from population (within a minimum and maximum), output from mariculture
    yields; only for coastal counties."""
    if not is_coastal(region):
        return Designed(notes=("No offshore farm: the county has no coast.",))
    pop = population(region)
    n = Norms(standard, explain)
    raw_ha = pop / 1000 * n("offshore.ha_per_1000")
    ha = min(n("offshore.max_ha"), max(n("offshore.min_ha"), raw_ha))
    basis: dict[str, str] = {}
    if n.explain:
        basis.update({
            "area_ha": (
                f"min({n.cite('offshore.max_ha')}, max({n.cite('offshore.min_ha')}, {n.f(pop)} / 1000 × "
                f"{n.cite('offshore.ha_per_1000')} = {n.f(raw_ha)})) = {n.f(ha)} ha"
            )
        })
    kelp_ha = ha * n("offshore.kelp_share")
    shell_ha = ha - kelp_ha
    kelp_t = kelp_ha * n("offshore.kelp_t_per_ha")
    shell_t = shell_ha * n("offshore.shellfish_t_per_ha")
    if n.explain:
        basis["kelp_t_per_year"] = (
            f"{n.f(ha)} ha × {n.cite('offshore.kelp_share')} × {n.cite('offshore.kelp_t_per_ha')} = {n.f(kelp_t)} t"
        )
    if n.explain:
        basis["shellfish_t_per_year"] = f"{n.f(shell_ha)} ha × {n.cite('offshore.shellfish_t_per_ha')} = {n.f(shell_t)} t"
    base_m2 = n("offshore.shore_base_m2")
    if n.explain:
        basis["kelp_ha"] = f"{n.f(ha)} ha × {n.cite('offshore.kelp_share')} = {n.f(kelp_ha)} ha"
        basis["shellfish_ha"] = f"{n.f(ha)} ha − {n.f(kelp_ha)} ha of kelp = {n.f(shell_ha)} ha"
        basis["shore_base_m2"] = n.cite("offshore.shore_base_m2")
    sea_labour = ha / 100 * n("offshore.regiment_months_per_100ha")
    sea_materials = ha * n("offshore.materials_t_per_ha")
    b = build(n, "offshore_farm", base_m2, extra_labour=sea_labour, extra_materials=sea_materials)
    if n.explain:
        b.basis["labour_regiment_months"] += f" (sea: {n.f(ha)} ha / 100 × {n.cite('offshore.regiment_months_per_100ha')})"
        b.basis["materials_t"] += f" (sea: {n.f(ha)} ha × {n.cite('offshore.materials_t_per_ha')})"
    cost = ha * n("offshore.cost_per_ha") + base_m2 * n("offshore.shore_base_cost_per_m2")
    if n.explain:
        basis["cost"] = (
            f"{n.f(ha)} ha × {n.cite('offshore.cost_per_ha')} + shore base {n.f(base_m2)} m² × "
            f"{n.cite('offshore.shore_base_cost_per_m2')} = {n.f(cost)} {standard.standards.cost_unit}"
        )
    workforce = ceil(ha * n("offshore.workers_per_ha"))
    if n.explain:
        basis["workforce"] = f"{n.f(ha)} ha × {n.cite('offshore.workers_per_ha')} = {workforce}"
    reasons = (
        catalogue_reason(standard, "offshore_farm"),
        f"{fmt(ha)} ha: {fmt(kelp_ha)} ha of kelp longlines and {fmt(shell_ha)} ha of shellfish.",
    )
    return Designed((
        facility(
            n, "offshore_farm", "Offshore farm", b,
            capacity={"area_ha": round(ha, 1), "kelp_ha": round(kelp_ha, 1), "shellfish_ha": round(shell_ha, 1),
                      "shore_base_m2": round(base_m2)},
            lines=("Kelp longlines", "Shellfish longlines (mussels, scallops)", "Hatchery and shore base"),
            reasons=reasons, cost=cost, workforce=workforce,
            outputs={"kelp_t_per_year": round(kelp_t), "shellfish_t_per_year": round(shell_t)},
            basis=basis,
        ),
    ))
