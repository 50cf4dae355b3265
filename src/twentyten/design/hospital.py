"""The city/county hospital (several, for a very large county) and its first-aid posts."""

from __future__ import annotations

import math

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    catalogue_reason,
    ceil,
    facility,
    fmt,
    population,
    texts,
)
from twentyten.domain.region import Region
from twentyten.standards.model import Standard


def design_hospital(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Beds from the formula ``P × a × ALOS / (365 × occupancy)`` (at least the minimum of a
    primary hospital), split into several hospitals of at most ``hospital.max_beds`` beds;
    theatres from the surgical-volume target, staff per bed and per population, first-aid
    posts from the county area and a catchment radius (at least
    ``hospital.min_first_aid_posts`` per hospital)."""
    pop = population(region)
    n = Norms(standard, explain)
    a = n("hospital.admissions_per_capita")
    alos = n("hospital.alos_days")
    occ = n("hospital.occupancy")
    min_beds = n("hospital.min_beds")
    raw_beds = pop * a * alos / (365 * occ)
    beds = max(ceil(min_beds), ceil(raw_beds))
    max_beds = n("hospital.max_beds")
    hospitals = max(1, ceil(beds / max_beds))
    basis: dict[str, str] = {}
    if n.explain:
        basis.update({
            "beds": (
                f"max({n.cite('hospital.min_beds')}, {n.f(pop)} × {n.cite('hospital.admissions_per_capita')} × "
                f"{n.cite('hospital.alos_days')} / (365 × {n.cite('hospital.occupancy')}) = {n.f(raw_beds)}) "
                f"= {beds}"
            ),
            "hospitals": f"{beds} beds / {n.cite('hospital.max_beds')} → {hospitals}",
        })
    procedures = pop * n("hospital.procedures_per_100k") / 100_000
    theatres = max(1, ceil(procedures / n("hospital.procedures_per_theatre")))
    if n.explain:
        basis["theatres"] = (
            f"{n.f(pop)} × {n.cite('hospital.procedures_per_100k')} / 100,000 = {n.f(procedures)} procedures / "
            f"{n.cite('hospital.procedures_per_theatre')} → {theatres}"
        )
    surgeons = ceil(pop * n("hospital.sao_per_100k") / 100_000)
    doctors = max(ceil(beds * n("hospital.doctors_per_bed")), surgeons)
    nurses = ceil(doctors * n("hospital.nurses_per_doctor"))
    support = ceil(beds * n("hospital.support_staff_per_bed"))
    if n.explain:
        basis["doctors"] = (
            f"max({beds} beds × {n.cite('hospital.doctors_per_bed')}, surgical physicians "
            f"{n.f(pop)} × {n.cite('hospital.sao_per_100k')} / 100,000 = {surgeons}) = {doctors}"
        )
    if n.explain:
        basis["nurses"] = f"{doctors} doctors × {n.cite('hospital.nurses_per_doctor')} = {nurses}"
    if n.explain:
        basis["support_staff"] = f"{beds} beds × {n.cite('hospital.support_staff_per_bed')} = {support}"

    radius = n("hospital.first_aid_radius_km")
    min_posts = ceil(n("hospital.min_first_aid_posts") * hospitals)
    if region.area_km2:
        zone = math.pi * radius**2
        by_need = max(0, ceil(region.area_km2 / zone) - 1)
        how = (
            f"{n.f(region.area_km2)} km² / (π × ({n.cite('hospital.first_aid_radius_km')})²) = "
            f"{n.f(region.area_km2 / zone)} zones, less the hospital's own → {by_need}"
        )
    else:
        by_need = max(0, ceil(pop / n("hospital.first_aid_pop_per_post")) - 1)
        how = f"area unknown: {n.f(pop)} / {n.cite('hospital.first_aid_pop_per_post')}, less the hospital's own → {by_need}"
    posts = max(min_posts, by_need)
    if n.explain:
        basis["first_aid_posts"] = (
            f"max({hospitals} hospital(s) × {n.cite('hospital.min_first_aid_posts')}, {how}) = {posts}"
        )
    post_m2 = n("hospital.first_aid_post_m2")
    post_staff = n("hospital.first_aid_post_staff")
    m2_bed = n("hospital.m2_per_bed")
    floor = beds * m2_bed + posts * post_m2
    if n.explain:
        basis["floor_m2"] = (
            f"{beds} beds × {n.cite('hospital.m2_per_bed')} + {posts} posts × {n.cite('hospital.first_aid_post_m2')}"
            f" = {n.f(floor)} m²"
        )
    cost = floor * n("hospital.cost_per_m2") + beds * n("hospital.equipment_cost_per_bed")
    if n.explain:
        basis["cost"] = (
            f"{n.f(floor)} m² × {n.cite('hospital.cost_per_m2')} + {beds} beds × "
            f"{n.cite('hospital.equipment_cost_per_bed')} = {n.f(cost)} {standard.standards.cost_unit}"
        )
    workforce = doctors + nurses + support + ceil(posts * post_staff)
    if n.explain:
        basis["workforce"] = (
            f"{doctors} doctors + {nurses} nurses + {support} support + {posts} posts × "
            f"{n.cite('hospital.first_aid_post_staff')} = {workforce}"
        )
    admissions = beds * 365 * occ / alos
    if n.explain:
        basis["admissions_per_year"] = f"{beds} beds × 365 × occupancy / ALOS = {n.f(admissions)}"
        basis["procedures_per_year"] = f"the surgical volume of the theatres line: {n.f(procedures)}"
    b = build(n, "hospital", floor, buildings=hospitals)
    each = f" (largest {ceil(beds / hospitals)} beds)" if hospitals > 1 else ""
    lines = (
        f"Wards ({beds} beds in {hospitals} hospitals{each})" if hospitals > 1 else f"Wards ({beds} beds)",
        f"Operating theatres ({theatres})",
        *texts(standard, "hospital").fixed_lines,
    ) + ((f"First-aid posts ({posts})",) if posts > 0 else ())
    reasons = [
        catalogue_reason(standard, "hospital"),
        f"{beds} beds: enough for the county's admissions at the design occupancy; the minimum of a primary "
        f"hospital is {fmt(min_beds)}.",
    ]
    if hospitals > 1:
        reasons.append(
            f"Split into {hospitals} hospitals: no hospital is built larger than {fmt(max_beds)} beds "
            "(hospital.max_beds), so a county this populous is served by several hospitals, as a city has "
            "district hospitals."
        )
    if posts > 0:
        reasons.append(
            f"{posts} first-aid posts so that no part of the county is far from first aid (one per circle of "
            f"{fmt(radius)} km radius beyond the hospital's own, at least {fmt(n('hospital.min_first_aid_posts'))} "
            "per hospital)."
        )
    else:
        reasons.append(
            f"No first-aid posts: the county lies within one circle of {fmt(radius)} km radius around the hospital "
            "and hospital.min_first_aid_posts is 0."
        )
    reasons.append(f"{theatres} operating theatre(s) for the surgical volume the county needs.")
    return Designed((
        facility(
            n, "hospital", texts(standard, "hospital").name, b,
            capacity={
                "hospitals": hospitals, "beds": beds, "theatres": theatres, "doctors": doctors, "nurses": nurses,
                "support_staff": support, "first_aid_posts": posts, "floor_m2": round(floor),
            },
            lines=lines, reasons=reasons, cost=cost, workforce=workforce,
            outputs={"admissions_per_year": round(admissions), "procedures_per_year": round(procedures)},
            basis=basis,
        ),
    ))
