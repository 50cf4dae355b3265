"""Who acts, and what they may read and write.

Roles: ``planner`` (everything), ``province`` (its own province: write and approve),
``county`` (its own county: write), ``analyst`` (read-only, everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from twentyten.service.errors import Forbidden


class Role(StrEnum):
    PLANNER = "planner"
    PROVINCE = "province"
    COUNTY = "county"
    ANALYST = "analyst"


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
    province_id: str | None = None  # province users, and the province of a county user
    county_id: str | None = None  # county users only

    def reads(self, province_id: str | None, county_id: str | None = None) -> bool:
        if self.role in (Role.PLANNER, Role.ANALYST):
            return True
        if self.role == Role.PROVINCE:
            return province_id is not None and province_id == self.province_id
        return county_id is not None and county_id == self.county_id

    def writes(self, province_id: str | None, county_id: str | None = None) -> bool:
        return self.role != Role.ANALYST and self.reads(province_id, county_id)

    def scope(self) -> str:
        if self.role in (Role.PLANNER, Role.ANALYST):
            return "all regions"
        return f"province {self.province_id}" if self.role == Role.PROVINCE else f"county {self.county_id}"


#: The actor of commands run by the operator at the machine (``twentyten db init``, imports).
SYSTEM = Actor("system", Role.PLANNER)


def require_write(actor: Actor, province_id: str | None, county_id: str | None, what: str) -> None:
    if not actor.writes(province_id, county_id):
        verb = "read-only" if actor.role == Role.ANALYST else f"limited to {actor.scope()}"
        raise Forbidden(f"{actor.name} ({actor.role}) may not {what}: the role is {verb}")


def require_role(actor: Actor, roles: tuple[Role, ...], what: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"{actor.name} ({actor.role}) may not {what}: needs {' or '.join(roles)}")
