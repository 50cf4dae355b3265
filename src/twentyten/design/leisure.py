"""The leisure complex: a library with server and computers at its core, learning rooms,
and welfare services."""

from __future__ import annotations

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    catalogue_reason,
    facility,
    fmt,
    population,
    texts,
)
from twentyten.design.basis import Q, const, qceil, qmax, qmin
from twentyten.domain.message import Msg
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


def reader_seats(pop: int, n: Norms) -> Q:
    """Seats with the band rates applied marginally (like tax brackets), so seats never
    fall as population rises."""
    total: Q | None = None
    lower = 0.0
    for upper, key in seat_bands(n.standard):
        if pop <= lower:
            break
        part = n.of(min(pop, upper) - lower, "people") / 1000 * n.q(key)
        total = part if total is None else total + part
        lower = upper
    assert total is not None  # population is positive
    return qceil(total)


def design_leisure_complex(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """Library seats (Wheeler bands), public computers (1 per N people, minimum), server
    storage, a printed collection, lecture and e-reading rooms, cinema and services; floor
    area by the Dahlgren/Maine worksheet."""
    pop = population(region)
    n = Norms(standard, explain)
    people = n.of(pop, "population")
    thousands = people / 1000
    seats_q = reader_seats(pop, n)
    computers_q = qmax(qceil(n.q("leisure.min_computers")), qceil(people / n.q("leisure.pop_per_computer")))
    books_q = qmax(n.q("leisure.min_books"), people * n.q("leisure.books_per_capita"))
    staff_q = qmax(const(1), qceil(people / n.q("leisure.pop_per_staff")))
    lecture_q = qmax(qceil(n.q("leisure.min_lecture_seats")), qceil(thousands * n.q("leisure.lecture_seats_per_1000")))
    seats, computers, lecture = int(seats_q.value), int(computers_q.value), int(lecture_q.value)
    books = books_q.value
    server_tb = n("leisure.server_tb")
    # Dahlgren / Maine worksheet (m²)
    collection = books_q.called("books") / n.q("leisure.volumes_per_m2")
    terminals = computers_q.called("computers") * n.q("leisure.m2_per_computer")
    seating = seats_q.called("seats") * n.q("leisure.m2_per_seat")
    stations = staff_q.called("staff") * n.q("leisure.staff_station_m2")
    lecture_m2 = lecture_q.called("lecture seats") * n.q("leisure.meeting_m2_per_seat") + n.q("leisure.meeting_speaker_m2")
    subtotal1 = (collection.called("collection", "m²") + terminals.called("terminals", "m²")
                 + seating.called("seating", "m²") + stations.called("staff stations", "m²")
                 + lecture_m2.called("lecture room", "m²"))
    sub1 = subtotal1.called("assignable", "m²")
    subtotal2 = sub1 + sub1 / n.q("leisure.special_use_divisor")
    sub2 = subtotal2.called("with special use", "m²")
    library_q = sub2 + sub2 / n.q("leisure.nonassignable_divisor")
    library_m2 = library_q.value
    wanted_q = qmax(qceil(n.q("leisure.min_cinema_seats")), qceil(thousands * n.q("leisure.cinema_seats_per_1000")))
    cinema_q = qmin(qceil(n.q("leisure.max_cinema_seats")), wanted_q.called("seats wanted"))
    wanted, cinema = int(wanted_q.value), int(cinema_q.value)
    cinema_m2_q = cinema_q.called("cinema seats") * n.q("leisure.cinema_m2_per_seat")
    services_q = qmax(n.q("leisure.min_services_m2"), thousands * n.q("leisure.services_m2_per_1000"))
    services_m2 = services_q.value
    floor_q = (library_q.called("library", "m²") + cinema_m2_q.called("cinema", "m²")
               + services_q.called("services", "m²"))
    floor = floor_q.value
    cost_q = (floor_q.called("floor", "m²") * n.q("leisure.cost_per_m2")
              + computers_q.called("computers") * n.q("leisure.computer_cost") + n.q("leisure.server_cost"))
    cost = cost_q.value
    service_staff = qceil((cinema_m2_q.called("cinema", "m²") + services_q.called("services", "m²")) / 1000
                          * n.q("leisure.service_staff_per_1000m2"))
    workforce_q = staff_q.called("library staff") + service_staff
    workforce = int(workforce_q.value)
    basis: dict[str, str] = {}
    if n.explain:
        basis = {
            "reader_seats": seats_q.basis() + " (per 1,000, marginal bands)",
            "computers": computers_q.basis(),
            "server_tb": n.cite("leisure.server_tb"),
            "books": books_q.basis(),
            "lecture_seats": lecture_q.basis(),
            "assignable_m2": subtotal1.basis("m²"),
            "with_special_use_m2": subtotal2.basis("m²"),
            "library_m2": library_q.basis("m²"),
            "cinema_seats": cinema_q.basis(),
            "services_m2": services_q.basis("m²"),
            "floor_m2": floor_q.basis("m²"),
            "cost": cost_q.basis(standard.standards.cost_unit),
            "workforce": workforce_q.basis(),
            "people_served": f"the county's population, {n.f(pop)}",
        }
        basis["public_computers"] = basis["computers"]
    b = build(n, "leisure_complex", floor)
    lines = (
        Msg("Library with a {server_tb} TB server and {computers} computers", server_tb=fmt(server_tb),
            computers=computers),
        Msg("Online lecture room ({seats} seats)", seats=lecture),
        Msg("Cinema ({seats} seats)", seats=cinema),
        *texts(standard, "leisure_complex").fixed_lines,
    )
    reasons = [
        catalogue_reason(standard, "leisure_complex"),
        Msg("{seats} reader seats and {computers} computers for {people} people; the server holds an offline "
            "e-library of {server}.", seats=seats, computers=computers, people=fmt(pop),
            server=standard.cite("leisure.server_tb")),
    ]
    if cinema < wanted:
        reasons.append(Msg(
            "Cinema capped at {seats} seats (leisure.max_cinema_seats) of the {wanted} the norm asks for: one hall per "
            "complex; the rest of a large city's demand is left to its existing cinemas and theatres.",
            seats=fmt(cinema), wanted=fmt(wanted),
        ))
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
