"""Regional-industry factories: which production lines a county gets and at what size.

Lines are chosen by the catalogue's rules (physiography, raw materials, population);
each line is sized from demand (population × per-capita norm × coverage target) and
capped by the local supply of its raw material where the county's area is known.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from twentyten.design._common import (
    Designed,
    Norms,
    build,
    facility,
    fmt,
    population,
    site_build_months,
)
from twentyten.design.basis import Q, qceil, qmax, qmin
from twentyten.domain.message import Msg, Text, join
from twentyten.domain.package import FacilityDesign
from twentyten.domain.region import Region
from twentyten.standards.model import Expr, LineRule, Standard

#: What sized a line, in words a page translates.
_BINDS = {"demand": Msg("demand"), "local supply": Msg("local supply")}


def _lower(name: str) -> str:
    """A catalogue name in lower case for the middle of a sentence, its translations kept."""
    return Text(name.lower(), **name.variants) if isinstance(name, Text) else name.lower()


def design_factories(region: Region, standard: Standard, explain: bool = True) -> Designed:
    """The county's factory package: one :class:`FacilityDesign` per factory, type ``"factory"``.

    Standard factories (foodstuff, daily necessities, garment) are always built; others
    (paper mill, fishery processing) only when at least one of their lines fits the county.
    """
    pop = population(region)
    std = standard.standards
    notes: list[str] = []
    plans: list[tuple[str, str, str, list[tuple[LineRule, str]], list[LineRule]]] = []
    for kind in std.factories.values():
        rules = [r for r in std.lines if r.factory == kind.key]
        matches = [(r, r.match(region)) for r in rules]
        chosen = [(r, why) for r, why in matches if why is not None]
        skipped = [r for r, why in matches if why is None]
        if not chosen:
            if rules and not kind.standard:
                need = "; ".join(sorted({r.requirement() for r in rules}))
                notes.append(Msg("No {factory}: it needs {need}.", factory=_lower(kind.name), need=need))
            continue
        plans.append((kind.key, kind.name, kind.source, chosen, skipped))
    shares = _building_shares(
        [(key, std.factories[key].standard) for key, *_ in plans],
        standard.value("factory.min_floor_m2"), standard.value("factory.max_buildings_per_site"),
    )
    out = [
        _design_one(region, pop, Norms(standard, explain), key, name, source, chosen, skipped, shares[key])
        for key, name, source, chosen, skipped in plans
    ]
    return Designed(_as_one_site(out, standard, explain), tuple(notes))


@dataclass(frozen=True)
class _Share:
    """A factory's part of the building minimum: its own building, or a share of one it shares."""

    min_floor: float
    shared_with: tuple[str, ...]  # the other factories in the same building ('' when alone)


def _building_shares(kinds: list[tuple[str, bool]], min_floor: float, max_buildings: float) -> dict[str, _Share]:
    """Which factories have a building of their own (at least ``min_floor``) and which are
    halls in another's building. A site has at most ``max_buildings`` buildings (the record's
    three-building sites): the factories beyond that, the optional kinds (fishery processing,
    paper) last first, go into the building of the site's first factory and have no minimum
    of their own. ``kinds`` is (factory key, is a standard kind) in catalogue order. The
    choice depends on which factories the county gets, never on their sizes, so a larger
    county never gets a smaller factory."""
    order = [k for k, standard in kinds if standard] + [k for k, standard in kinds if not standard]
    limit = max(1, int(max_buildings))
    own, guests = order[:limit], order[limit:]
    out = {k: _Share(min_floor, ()) for k in own}
    for k in guests:
        out[k] = _Share(0.0, (own[0],))
    return out


def _as_one_site(factories: list[FacilityDesign], standard: Standard, explain: bool) -> tuple[FacilityDesign, ...]:
    """The county's factories are built together by the site's force (one regiment, as the
    programme sends one regiment to each county): each takes as long as the whole site."""
    if not factories:
        return ()
    n = Norms(standard, explain)
    site_floor = sum(float(f.capacity["floor_m2"]) for f in factories)
    months, text = site_build_months(n, "factory", site_floor, len(factories))
    cited = n.sources()
    out = []
    for f in factories:
        basis = {**f.basis, "build_months": text} if explain else f.basis
        out.append(replace(f, build_months=months, basis=basis, sources=tuple(dict.fromkeys((*f.sources, *cited)))))
    return tuple(out)


@dataclass(frozen=True)
class _LineNorms:
    per_capita: float
    supply_per_km2: float | None
    floor_key: str
    floor_per_t: float
    t_per_worker: float
    keys: tuple[str, ...]


def _line_norms(standard: Standard, rule: LineRule) -> _LineNorms:
    """A line's norms in one year, looked up most specific first (computed once per year)."""
    memo_key = ("line", rule.id)
    cached = standard.memo.get(memo_key)
    if cached is None:
        f = rule.factory
        fkey = standard.first(f"line.{rule.id}.floor_m2_per_t", f"factory.{f}.floor_m2_per_t", "factory.floor_m2_per_t")
        wkey = standard.first(
            f"line.{rule.id}.t_per_worker_year", f"factory.{f}.t_per_worker_year", "factory.t_per_worker_year"
        )
        supply = rule.supply.evaluate(standard.values) if rule.supply is not None else None
        keys = (*rule.demand.keys, *(rule.supply.keys if rule.supply else ()), fkey, wkey)
        cached = _LineNorms(
            rule.demand.evaluate(standard.values), supply, fkey, standard.value(fkey), standard.value(wkey), keys
        )
        standard.memo[memo_key] = cached
    return cached  # type: ignore[return-value]


def _expr(n: Norms, expr: Expr) -> Q:
    """A demand or supply expression as a :class:`Q`: ``key (value unit [source]) × …``."""
    out: Q | None = None
    for key, divide in expr.terms:
        q = n.q(key)
        out = q if out is None else (out / q if divide else out * q)
    assert out is not None  # an expression has at least one key
    return out


def _design_one(
    region: Region,
    pop: int,
    n: Norms,
    factory: str,
    name: str,
    factory_source: str,
    chosen: list[tuple[LineRule, str]],
    skipped: list[LineRule],
    share: _Share,
) -> FacilityDesign:
    standard = n.standard
    n("factory.coverage_target")  # read first, as ever, so the sources keep their order
    utilisation = n("factory.utilisation")
    capacity: dict[str, float] = {}
    outputs: dict[str, float] = {}
    basis: dict[str, str] = {}
    reasons: list[str] = []
    sources: dict[str, None] = {factory_source: None} if factory_source else {}
    people = n.of(pop, "population")
    area_factor = n.q("factory.floor_area_factor")
    floor_q: Q | None = None
    workers_q: Q | None = None
    for rule, why in chosen:
        lp = _line_norms(standard, rule)
        for k in lp.keys:
            n.used[k] = None
        demand = people * _expr(n, rule.demand) / 1000 * n.q("factory.coverage_target")
        size_q = demand
        supply_q: Q | None = None
        if rule.supply is not None and region.area_km2:
            supply_q = n.of(region.area_km2, "area km²") * _expr(n, rule.supply)
            size_q = qmin(demand.called("demand", "t/yr"), supply_q.called("local supply", "t/yr"))
        size_t = round(size_q.value, 1)
        binding = "local supply" if supply_q is not None and supply_q.value < demand.value else "demand"
        line = Q(size_t, f"{rule.id} {n.f(size_t)} t/yr" if n.explain else "")
        line_floor = line * n.q(lp.floor_key) * area_factor
        line_workers = line / n.q(lp.keys[-1])
        floor_q = line_floor if floor_q is None else floor_q + line_floor
        workers_q = line_workers if workers_q is None else workers_q + line_workers
        capacity[f"{rule.id}_t_per_year"] = size_t
        outputs[f"{rule.id}_t_per_year"] = round(size_t * utilisation, 1)
        if n.explain:
            text = f"demand {demand.basis('t/yr')}"
            if supply_q is not None:
                text += f"; local supply {supply_q.basis('t/yr')}; {size_q.basis('t/yr')}"
            elif rule.supply is not None:
                text += "; local supply not checked (county area unknown)"
            basis[f"{rule.id}_t_per_year"] = text + f" ({binding} binds)"
            basis[f"{rule.id}_floor"] = line_floor.basis("m²")
        reasons.append(Msg("{line}: chosen because {why}. {reason} Sized to {binding}: {size} t/yr.", line=rule.name,
                           why=why, reason=rule.reason, binding=_BINDS[binding], size=fmt(size_t)))
        if rule.source:
            sources[rule.source] = None
    for rule in skipped:
        reasons.append(Msg("No {line} line: it needs {need}.", line=_lower(rule.name), need=rule.requirement()))
    assert floor_q is not None and workers_q is not None  # a factory has at least one chosen line

    n("factory.min_floor_m2")
    n("factory.max_buildings_per_site")
    lines_floor = floor_q.called("Σ line floor", "m²")
    floor_q = lines_floor if share.shared_with else qmax(n.q("factory.min_floor_m2"), lines_floor)
    floor = floor_q.value
    if n.explain:
        if share.shared_with:
            basis["floor_m2"] = (
                f"{lines_floor.text}, a hall in the building of the {', '.join(share.shared_with)} "
                f"factory (a site has at most {n.cite('factory.max_buildings_per_site')}), no minimum of its own "
                f"= {n.f(floor)} m²"
            )
        else:
            basis["floor_m2"] = floor_q.basis("m²")
        basis["lines_floor_m2"] = (
            " + ".join(basis[f"{r.id}_floor"].rsplit(" = ", 1)[1] for r, _ in chosen) + f" = {n.f(lines_floor.value)} m²"
        )
    if n.explain:
        basis["shared_building"] = (
            f"{int(bool(share.shared_with))}: 1 for a hall in another factory's building, 0 for a building of its own "
            f"(a site has at most {n.cite('factory.max_buildings_per_site')})"
        )
    if share.shared_with:
        others = join(", ", [_lower(standard.standards.factories[k].name) for k in share.shared_with])
        reasons.append(Msg(
            "Built as a hall in the building of the {others}: a county's factory site has at most {most} buildings "
            "(factory.max_buildings_per_site), as the record's sites have three.",
            others=others, most=fmt(n('factory.max_buildings_per_site')),
        ))
    n_lines = len(chosen)
    lines_q = Q(n_lines, f"{n_lines} lines" if n.explain else "")
    products_q = lines_q * n.q("factory.products_per_line")
    products = products_q.value
    floor_named = floor_q.called("floor", "m²")
    solar_q = floor_named / 1000 * n.q("factory.solar_kw_per_1000m2")
    solar_kw = solar_q.value
    cost_q = (floor_named * n.q("factory.cost_per_m2") + lines_q * n.q("factory.equipment_cost_per_line")
              + solar_q.called("solar", "kW") * n.q("energy.solar_cost_per_kw"))
    cost = cost_q.value
    workforce_q = qceil(workers_q)
    workforce = int(workforce_q.value)
    if n.explain:
        basis["cost"] = cost_q.basis(standard.standards.cost_unit)
        basis["products"] = products_q.basis()
        basis["solar_kw"] = solar_q.basis("kW")
        basis["workforce"] = workforce_q.basis()
        basis["outputs"] = f"capacity × {n.cite('factory.utilisation')}"
        basis["lines"] = f"{n_lines} lines chosen by the rules of catalogue.yaml (see reasons)"
    b = build(n, "factory", floor)
    capacity.update({
        "floor_m2": round(floor), "lines": n_lines, "products": round(products), "solar_kw": round(solar_kw, 1),
        "shared_building": int(bool(share.shared_with)),
    })
    return facility(
        n, "factory", name, b, capacity=capacity, lines=tuple(r.name for r, _ in chosen), reasons=reasons,
        cost=cost, workforce=workforce, outputs=outputs, basis=basis, sources=tuple(sources),
    )
