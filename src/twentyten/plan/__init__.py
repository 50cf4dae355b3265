"""The rollout planner: which county gets which package in which year.

The model is built from arrays (:class:`~twentyten.plan.inputs.PlanInputs`), one function
per constraint family (:mod:`twentyten.plan.constraints`), and solved with HiGHS, which is
imported only when a plan is solved. See ``docs/plan.md``.

>>> from twentyten.plan import inputs_from_atlas, solve_plan   # doctest: +SKIP
>>> result = solve_plan(inputs_from_atlas())                    # doctest: +SKIP
>>> print(result.status_line())                                 # doctest: +SKIP
"""

from twentyten.plan.infeasibility import PlanInfeasible
from twentyten.plan.inputs import PlanInputs, synthetic_inputs
from twentyten.plan.instance import inputs_from_atlas, load_instance
from twentyten.plan.scenario import Scenario, ScenarioError, load_scenario
from twentyten.plan.solve import PlanResult, SolveOptions, SolveStatus, solve_greedy, solve_plan

__all__ = [
    "PlanInfeasible", "PlanInputs", "PlanResult", "Scenario", "ScenarioError", "SolveOptions",
    "SolveStatus", "inputs_from_atlas", "load_instance", "load_scenario", "solve_greedy", "solve_plan",
    "synthetic_inputs",
]
