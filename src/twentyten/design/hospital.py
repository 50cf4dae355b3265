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
from twentyten.design.basis import const, qceil, qmax, qmin
from twentyten.domain.message import Msg
from twentyten.domain.region import Region
from twentyten.standards.model import Standard


def design_hospital(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Beds from the tier norm of a first-referral (district) hospital: a bed rate per 1,000
    people that falls linearly with the population from ``hospital.tier_beds_per_1000_low``
    (at ``hospital.tier_pop_low`` and below) to ``hospital.tier_beds_per_1000_high`` (at
    ``hospital.tier_pop_high`` and above), at least ``hospital.min_beds``; the admissions formula
    ``P × a × ALOS / (365 × occupancy)`` is shown beside it as a cross-check. The beds are split
    into several hospitals of at most ``hospital.max_beds``; theatres from the surgical-volume
    target, staff per bed and per population, first-aid posts from the county area and a
    catchment radius (at least ``hospital.min_first_aid_posts`` per hospital). Every basis line
    is built by the arithmetic that gives its number (:class:`~twentyten.design.basis.Q`)."""
    pop = population(region)
    n = Norms(standard, explain)
    people = n.of(pop, "population")
    lo_pop, hi_pop = n.q("hospital.tier_pop_low"), n.q("hospital.tier_pop_high")
    lo_rate, hi_rate = n.q("hospital.tier_beds_per_1000_low"), n.q("hospital.tier_beds_per_1000_high")
    # where the county lies in the tier's population band: 0 at the low end, 1 at the high end
    position = qmin(qmax((people - lo_pop) / (hi_pop - lo_pop), const(0)), const(1))
    rate = lo_rate - (lo_rate - hi_rate) * position.called("band position")
    beds_q = qceil(qmax(n.q("hospital.min_beds"), people * rate.called("rate", "beds per 1,000") / 1000))
    beds = int(beds_q.value)
    a, alos, occ = n.q("hospital.admissions_per_capita"), n.q("hospital.alos_days"), n.q("hospital.occupancy")
    by_admissions = people * a * alos / (const(365) * occ)
    bed = beds_q.called("beds")
    hospitals_q = qmax(const(1), qceil(bed / n.q("hospital.max_beds")))
    hospitals = int(hospitals_q.value)
    procedures_q = people * n.q("hospital.procedures_per_100k") / 100_000
    procedures = procedures_q.value
    theatres_q = qmax(const(1), qceil(procedures_q.called("procedures") / n.q("hospital.procedures_per_theatre")))
    theatres = int(theatres_q.value)
    surgeons = qceil(people * n.q("hospital.sao_per_100k") / 100_000)
    doctors_q = qmax(qceil(bed * n.q("hospital.doctors_per_bed")), surgeons.called("surgical physicians"))
    doctors = int(doctors_q.value)
    nurses_q = qceil(doctors_q.called("doctors") * n.q("hospital.nurses_per_doctor"))
    support_q = qceil(bed * n.q("hospital.support_staff_per_bed"))
    nurses, support = int(nurses_q.value), int(support_q.value)

    radius = n.q("hospital.first_aid_radius_km")
    min_posts = qceil(hospitals_q.called("hospital(s)") * n.q("hospital.min_first_aid_posts"))
    if region.area_km2:
        zones = n.of(region.area_km2, "area km²") / (const(math.pi) * radius * radius)
    else:  # area unknown: one post per catchment population
        zones = people / n.q("hospital.first_aid_pop_per_post")
    # less the hospital's own zone
    by_need = qmax(const(0), qceil(zones.called("zones")) - 1)
    posts_q = qmax(min_posts, by_need.called("posts by need"))
    posts = int(posts_q.value)
    post = posts_q.called("posts")
    floor_q = bed * n.q("hospital.m2_per_bed") + post * n.q("hospital.first_aid_post_m2")
    floor = floor_q.value
    cost_q = floor_q.called("floor", "m²") * n.q("hospital.cost_per_m2") + bed * n.q("hospital.equipment_cost_per_bed")
    cost = cost_q.value
    workforce_q = (doctors_q.called("doctors") + nurses_q.called("nurses") + support_q.called("support")
                   + qceil(post * n.q("hospital.first_aid_post_staff")))
    workforce = int(workforce_q.value)
    admissions_q = bed * 365 * occ / alos
    admissions = admissions_q.value
    basis: dict[str, str] = {}
    if n.explain:
        unit = standard.standards.cost_unit
        basis = {
            "beds_per_1000": rate.basis("beds per 1,000"),
            "beds": beds_q.basis(),
            "beds_by_admissions": by_admissions.basis("beds (cross-check: the admissions formula, not used)"),
            "hospitals": hospitals_q.basis(),
            "theatres": theatres_q.basis(),
            "doctors": doctors_q.basis(),
            "nurses": nurses_q.basis(),
            "support_staff": support_q.basis(),
            "first_aid_posts": posts_q.basis(),
            "floor_m2": floor_q.basis("m²"),
            "cost": cost_q.basis(unit),
            "workforce": workforce_q.basis(),
            "admissions_per_year": admissions_q.basis(),
            "procedures_per_year": procedures_q.basis(),
        }
    b = build(n, "hospital", floor, buildings=hospitals)
    lines = (
        Msg("Wards ({beds} beds in {hospitals} hospitals (largest {largest} beds))", beds=beds, hospitals=hospitals,
            largest=ceil(beds / hospitals)) if hospitals > 1 else Msg("Wards ({beds} beds)", beds=beds),
        Msg("Operating theatres ({theatres})", theatres=theatres),
        *texts(standard, "hospital").fixed_lines,
    ) + ((Msg("First-aid posts ({posts})", posts=posts),) if posts > 0 else ())
    reasons = [
        catalogue_reason(standard, "hospital"),
        Msg("{beds} beds: the tier norm of a first-referral (district) hospital, {rate} beds per 1,000 people for a "
            "county of {population} (from {rate_low} per 1,000 up to {pop_low} people, falling to {rate_high} per "
            "1,000 at {pop_high}), at least {min_beds} beds.", beds=beds, rate=fmt(round(rate.value, 3)),
            population=fmt(pop), rate_low=fmt(n("hospital.tier_beds_per_1000_low")),
            pop_low=fmt(n("hospital.tier_pop_low")), rate_high=fmt(n("hospital.tier_beds_per_1000_high")),
            pop_high=fmt(n("hospital.tier_pop_high")), min_beds=fmt(n("hospital.min_beds"))),
    ]
    if hospitals > 1:
        reasons.append(Msg(
            "Split into {hospitals} hospitals: no hospital is built larger than {max_beds} beds (hospital.max_beds), so "
            "a county this populous is served by several hospitals, as a city has district hospitals.",
            hospitals=hospitals, max_beds=fmt(n("hospital.max_beds")),
        ))
    if posts > 0:
        reasons.append(Msg(
            "{posts} first-aid posts so that no part of the county is far from first aid (one per circle of {radius} km "
            "radius beyond the hospital's own, at least {min_posts} per hospital).",
            posts=posts, radius=fmt(radius.value), min_posts=fmt(n("hospital.min_first_aid_posts")),
        ))
    else:
        reasons.append(Msg(
            "No first-aid posts: the county lies within one circle of {radius} km radius around the hospital and "
            "hospital.min_first_aid_posts is 0.", radius=fmt(radius.value),
        ))
    reasons.append(Msg("{theatres} operating theatre(s) for the surgical volume the county needs.", theatres=theatres))
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
