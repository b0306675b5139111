"""Composition planner for Lokaal Circulair's Communities of Practice and coaching tracks.

``problem_from_request`` turns a request into a ``Problem``; ``solve`` (exact MILP) and ``solve_greedy``
(baseline) plan it; ``plan_response`` does both, explains the result and suggests outside partners.
"""

from .adapter import participant_from_profile
from .errors import Conflict, CopError, CopInputError, Infeasible
from .greedy import solve_greedy
from .milp import Solution, solve
from .model import Constraints, CountBounds, Group, Participant, Problem, violations
from .objective import Score, Weights, evaluate
from .plan import PlanTimeout, concept_labels, plan_response
from .request import problem_from_request

__all__ = ["Conflict", "Constraints", "CopError", "CopInputError", "CountBounds", "Group", "Infeasible",
           "Participant", "PlanTimeout", "Problem", "Score", "Solution", "Weights", "concept_labels", "evaluate",
           "participant_from_profile", "plan_response", "problem_from_request", "solve", "solve_greedy",
           "violations"]
