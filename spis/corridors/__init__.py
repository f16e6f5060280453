"""Django-free freight-corridor leverage model: load a scenario file, reroute flows, report the exposure.

Public API (see README.md): `load_scenario`, `load_scenario_text`, `solve`, `report`, `sensitivity`,
`map_svg`, `sensitivity_svg`, and the types `Network`, `Scenario`, `Solution`, `Report`, `ScenarioError`.
"""

from .loader import DEFAULT_FILE, load_scenario, load_scenario_text
from .model import Network, Problem, Quantity, Scenario, ScenarioError, closed_link_ids, with_overrides
from .report import Report, report
from .sensitivity import Sensitivity, sensitivity
from .solver import Solution, SolverError, available_solvers, solve
from .svg import map_svg, sensitivity_svg

__all__ = [
    "DEFAULT_FILE",
    "Network",
    "Problem",
    "Quantity",
    "Report",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Solution",
    "SolverError",
    "available_solvers",
    "closed_link_ids",
    "load_scenario",
    "load_scenario_text",
    "map_svg",
    "report",
    "sensitivity",
    "sensitivity_svg",
    "solve",
    "with_overrides",
]
