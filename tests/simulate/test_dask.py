"""Runs spread over a dask.distributed cluster agree with local runs for the same seed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.simulate.helpers import sim_plan, write_plan

from twentyten.cli import cli
from twentyten.simulate.engine import RunOptions, dask_mapper, run_simulation
from twentyten.simulate.scenario import load_uncertainty

distributed = pytest.importorskip("distributed", reason="dask.distributed (extra `dask`) is not installed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as c:
        yield c


def test_dask_and_local_agree(cluster):
    sp = sim_plan(20, 4)
    unc = load_uncertainty()
    local = run_simulation(sp, unc, 230, 8, RunOptions(replan="greedy"))
    with distributed.Client(cluster) as client:
        spread = run_simulation(sp, unc, 230, 8, RunOptions(replan="greedy", map_chunks=dask_mapper(client)))
    assert (local.county_finish == spread.county_finish).all()
    for f in local.waited:
        assert (local.waited[f] == spread.waited[f]).all()


def test_cli_with_a_dask_scheduler_gives_the_local_bytes(cluster, tmp_path):
    plan = write_plan(tmp_path, n=20, seed=4)
    args = ["simulate", "--plan", str(plan), "--runs", "20500", "--sensitivity-runs", "0", "--seed", "3",
            "--format", "json"]
    local = CliRunner().invoke(cli, args)
    spread = CliRunner().invoke(cli, [*args, "--scheduler", "dask", "--address", cluster.scheduler_address])
    assert local.exit_code == 0 and spread.exit_code == 0, spread.output
    assert local.stdout == spread.stdout
    assert json.loads(local.stdout)["runs"] == 20500


def test_unreachable_scheduler_fails_with_one_line(tmp_path):
    plan = write_plan(tmp_path, n=20, seed=4)
    r = CliRunner().invoke(cli, ["simulate", "--plan", str(plan), "--runs", "10", "--scheduler", "dask",
                                 "--address", "tcp://127.0.0.1:9"])
    assert r.exit_code == 1 and "cannot reach the dask scheduler" in r.stderr
