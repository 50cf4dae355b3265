"""The leisure complex: a library with server and computers at its core, learning rooms,
and welfare services."""

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
    texts,
)
from twentyten.domain.region import Region
from twentyten.standards.model import Standard

SEAT_BANDS = "leisure.seats_per_1000."


def seat_bands(standard: Standard) -> list[tuple[float, str]]:
    """(upper population bound, norm key) for each band of ``leisure.seats_per_1000.*``,
    ascending, the open band (``.above``) last with bound infinity."""
    cached = standard.memo.get(SEAT_BANDS)
    if cached is not None:
        return cached  # type: ignore[return-value]
    bands: list[tuple[float, str]] = []
    for key in standard.values:
        if key.startswith(SEAT_BANDS):
            suffix = key[len(SEAT_BANDS):]
            if suffix == "above":
                bands.append((float("inf"), key))
            elif suffix.startswith("upto_") and suffix[5:].isdigit():
                bands.append((float(suffix[5:]), key))
    if not any(b == float("inf") for b, _ in bands):
        raise KeyError(f"the standard needs {SEAT_BANDS}upto_N and {SEAT_BANDS}above norms")
    bands.sort()
    standard.memo[SEAT_BANDS] = bands
    return bands


def reader_seats(pop: int, n: Norms) -> tuple[int, str]:
    """Seats with the band rates applied marginally (like tax brackets), so seats never
    fall as population rises."""
    seats = 0.0
    lower = 0.0
    parts = []
    for upper, key in seat_bands(n.standard):
        if pop <= lower:
            break
        people = min(pop, upper) - lower
        rate = n(key)
        seats += people / 1000 * rate
        parts.append(f"{n.f(people)} × {n.cite(key)}")
        lower = upper
    total = ceil(seats)
    return total, " + ".join(parts) + f" (per 1,000, marginal bands) = {total}"


def design_leisure_complex(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Library seats (Wheeler bands), public computers (1 per N people, minimum), server
    storage, a printed collection, lecture and e-reading rooms, cinema and services; floor
    area by the Dahlgren/Maine worksheet."""
    pop = population(region)
    n = Norms(standard, explain)
    basis: dict[str, str] = {}
    seats, basis["reader_seats"] = reader_seats(pop, n)
    computers = max(ceil(n("leisure.min_computers")), ceil(pop / n("leisure.pop_per_computer")))
    if n.explain:
        basis["computers"] = (
            f"max({n.cite('leisure.min_computers')}, {n.f(pop)} / {n.cite('leisure.pop_per_computer')}) = {computers}"
        )
    server_tb = n("leisure.server_tb")
    if n.explain:
        basis["server_tb"] = n.cite("leisure.server_tb")
    books = max(n("leisure.min_books"), pop * n("leisure.books_per_capita"))
    if n.explain:
        basis["books"] = (
            f"max({n.cite('leisure.min_books')}, {n.f(pop)} × {n.cite('leisure.books_per_capita')}) = {n.f(books)}"
        )
    staff = max(1, ceil(pop / n("leisure.pop_per_staff")))
    lecture = max(ceil(n("leisure.min_lecture_seats")), ceil(pop / 1000 * n("leisure.lecture_seats_per_1000")))
    if n.explain:
        basis["lecture_seats"] = (
            f"max({n.cite('leisure.min_lecture_seats')}, {n.f(pop)} / 1000 × "
            f"{n.cite('leisure.lecture_seats_per_1000')}) = {lecture}"
        )
    # Dahlgren / Maine worksheet (m²)
    collection = books / n("leisure.volumes_per_m2")
    terminals = computers * n("leisure.m2_per_computer")
    seating = seats * n("leisure.m2_per_seat")
    stations = staff * n("leisure.staff_station_m2")
    lecture_m2 = lecture * n("leisure.meeting_m2_per_seat") + n("leisure.meeting_speaker_m2")
    subtotal1 = collection + terminals + seating + stations + lecture_m2
    special = subtotal1 / n("leisure.special_use_divisor")
    subtotal2 = subtotal1 + special
    nonassign = subtotal2 / n("leisure.nonassignable_divisor")
    library_m2 = subtotal2 + nonassign
    if n.explain:
        basis["library_m2"] = (
            f"collection {n.f(collection)} ({n.cite('leisure.volumes_per_m2')}) + e-reading terminals {n.f(terminals)} "
            f"({n.cite('leisure.m2_per_computer')}) + reader seats {n.f(seating)} ({n.cite('leisure.m2_per_seat')}) + "
            f"staff {n.f(stations)} ({n.cite('leisure.staff_station_m2')}) + lecture room {n.f(lecture_m2)} "
            f"({n.cite('leisure.meeting_m2_per_seat')}); + special use / {n.cite('leisure.special_use_divisor')}; "
            f"+ non-assignable / {n.cite('leisure.nonassignable_divisor')} = {n.f(library_m2)} m²"
        )
    wanted = max(ceil(n("leisure.min_cinema_seats")), ceil(pop / 1000 * n("leisure.cinema_seats_per_1000")))
    max_cinema = n("leisure.max_cinema_seats")
    cinema = min(wanted, ceil(max_cinema))
    cinema_m2 = cinema * n("leisure.cinema_m2_per_seat")
    if n.explain:
        basis["cinema_seats"] = (
            f"min({n.cite('leisure.max_cinema_seats')}, max({n.cite('leisure.min_cinema_seats')}, {n.f(pop)} / 1000 × "
            f"{n.cite('leisure.cinema_seats_per_1000')}) = {wanted}) = {cinema}"
        )
    services_m2 = max(n("leisure.min_services_m2"), pop / 1000 * n("leisure.services_m2_per_1000"))
    if n.explain:
        basis["services_m2"] = (
            f"max({n.cite('leisure.min_services_m2')}, {n.f(pop)} / 1000 × {n.cite('leisure.services_m2_per_1000')})"
            f" = {n.f(services_m2)} m²"
        )
    floor = library_m2 + cinema_m2 + services_m2
    if n.explain:
        basis["floor_m2"] = f"library {n.f(library_m2)} + cinema {n.f(cinema_m2)} + services {n.f(services_m2)} = {n.f(floor)} m²"
    cost = (
        floor * n("leisure.cost_per_m2")
        + computers * n("leisure.computer_cost")
        + n("leisure.server_cost")
    )
    if n.explain:
        basis["cost"] = (
            f"{n.f(floor)} m² × {n.cite('leisure.cost_per_m2')} + {computers} × {n.cite('leisure.computer_cost')} + "
            f"server {n.cite('leisure.server_cost')} = {n.f(cost)} {standard.standards.cost_unit}"
        )
    service_staff = ceil((cinema_m2 + services_m2) / 1000 * n("leisure.service_staff_per_1000m2"))
    workforce = staff + service_staff
    if n.explain:
        basis["workforce"] = (
            f"library {n.f(pop)} / {n.cite('leisure.pop_per_staff')} = {staff} + services "
            f"{n.f(cinema_m2 + services_m2)} m² / 1000 × {n.cite('leisure.service_staff_per_1000m2')} = {workforce}"
        )
    if n.explain:
        basis["people_served"] = f"the county's population, {n.f(pop)}"
        basis["public_computers"] = basis["computers"]
    b = build(n, "leisure_complex", floor)
    lines = (
        f"Library with a {fmt(server_tb)} TB server and {computers} computers",
        f"Online lecture room ({lecture} seats)",
        f"Cinema ({cinema} seats)",
        *texts(standard, "leisure_complex").fixed_lines,
    )
    reasons = [
        catalogue_reason(standard, "leisure_complex"),
        f"{seats} reader seats and {computers} computers for {fmt(pop)} people; the server holds an offline "
        f"e-library of {standard.cite('leisure.server_tb')}.",
    ]
    if cinema < wanted:
        reasons.append(
            f"Cinema capped at {fmt(cinema)} seats (leisure.max_cinema_seats) of the {fmt(wanted)} the norm asks for: "
            "one hall per complex; the rest of a large city's demand is left to its existing cinemas and theatres."
        )
    return Designed((
        facility(
            n, "leisure_complex", texts(standard, "leisure_complex").name, b,
            capacity={
                "reader_seats": seats, "computers": computers, "server_tb": server_tb, "books": round(books),
                "lecture_seats": lecture, "cinema_seats": cinema, "library_m2": round(library_m2),
                "services_m2": round(services_m2), "floor_m2": round(floor),
            },
            lines=lines, reasons=reasons, cost=cost, workforce=workforce,
            outputs={"people_served": pop, "reader_seats": seats, "public_computers": computers},
            basis=basis,
        ),
    ))
