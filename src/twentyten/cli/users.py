"""`twentyten users`: accounts and roles of the record's API."""

from __future__ import annotations

import sys

import click

from twentyten.cli._common import FORMATS, bad_input, emit_rows, status
from twentyten.cli.db import db_option, session_for


@click.group("users")
def users() -> None:
    """Users and roles: planner, province, county, analyst."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["planner", "province", "county", "analyst"]))
@click.option("--region", default=None, help="Province or county (id or name) for province and county users.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (for scripts).")
@db_option
def add(name: str, role: str, region: str | None, password_stdin: bool, db_url: str | None) -> None:
    """Add a user; the password is prompted for (hashed with argon2)."""
    from twentyten.service.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            bad_input("--password-stdin: stdin gave no password")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with session_for(db_url) as s:
        u = add_user(s, name, role, password, region)
        status(f"user {u.name} added: {u.role}" + (f" of {u.region_id}" if u.region_id else ""))


@users.command("list")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def list_cmd(db_url: str | None, fmt: str) -> None:
    """The users, their roles and regions."""
    from twentyten.service.auth import list_users

    with session_for(db_url) as s:
        rows = [{"name": u.name, "role": u.role, "region": u.region_id or "", "active": u.active}
                for u in list_users(s)]
    emit_rows(rows, fmt, title="Users", columns=["name", "role", "region", "active"])


@users.command("revoke")
@click.argument("name")
@db_option
def revoke(name: str, db_url: str | None) -> None:
    """Revoke every token of a user (they must sign in again)."""
    from twentyten.service.auth import revoke_user_tokens

    with session_for(db_url) as s:
        n = revoke_user_tokens(s, name)
    status(f"{n} token(s) of {name} revoked")
