"""The `twentyten` command. Each subcommand lives in its own module and is imported
only when it is invoked, so `twentyten --help` and `import twentyten` stay fast."""

from __future__ import annotations

import importlib
import importlib.util

import click

from twentyten import __version__

# name -> (module, attribute, one-line help). A module that is not present yet is
# simply not listed.
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "atlas": ("twentyten.cli.atlas", "atlas", "Regions of the country, their attributes and sources."),
    "design": ("twentyten.cli.design", "design", "What a county gets: facilities, sizes, costs, reasons."),
    "standards": ("twentyten.cli.standards", "standards", "The facility catalogue and sizing norms by year."),
    "plan": ("twentyten.cli.plan", "plan", "Optimise the ten-year rollout; compare and explain plans."),
    "media": ("twentyten.cli.media", "media", "State-press attention to a topic, year by year."),
    "grain": ("twentyten.cli.grain", "grain", "Grain storage advisor: moisture, aeration, spoilage, sizing."),
    "db": ("twentyten.cli.db", "db", "The record's database: init, upgrade, backup, restore."),
    "track": ("twentyten.cli.track", "track", "The record: plans, status against plan, import, export."),
    "users": ("twentyten.cli.users", "users", "Users and roles of the record's API."),
    "serve": ("twentyten.cli.serve", "serve", "Serve the dashboard and the REST API (uvicorn)."),
    "simulate": ("twentyten.cli.simulate", "simulate", "Monte Carlo over a saved plan: can the horizon still be met?"),
    "indicators": ("twentyten.cli.indicators", "indicators", "Coverage and regional-balance indices of a plan or state."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n, (mod, _, _) in SUBCOMMANDS.items() if importlib.util.find_spec(mod))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module_name, attr, _ = SUBCOMMANDS[cmd_name]
        if importlib.util.find_spec(module_name) is None:
            return None
        return getattr(importlib.import_module(module_name), attr)

    def invoke(self, ctx: click.Context):
        """Run the subcommand; a dataset that does not exist (``--dataset`` or the
        ``TWENTYTEN_DATASET`` setting, wherever a command first resolves it) is bad input:
        one line, exit 2, never a traceback."""
        from twentyten.atlas.validate import DatasetNotFound
        from twentyten.cli._common import bad_input

        try:
            return super().invoke(ctx)
        except DatasetNotFound as e:
            bad_input(str(e))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, SUBCOMMANDS[n][2]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twentyten")
def cli() -> None:
    """twentyten: atlas, design, plan, track and evaluate a regional-development programme."""


def main() -> None:
    cli(prog_name="twentyten")
