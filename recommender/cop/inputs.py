"""The planning request (``POST /api/v1/cops/plan``, ``kringloop cop plan FILE``) as typed models.

The models check form (fields, types, bounds) and give the OpenAPI schema; what exists (participants,
codes, groups) is checked against the graph in :mod:`recommender.cop.request`. A participant's
``profile`` is the API's :class:`~recommender.inputs.Profile` with the planner's own facts added.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from kg.textfields import Text

from ..inputs import MAX_CODES, Code, Profile

MAX_TIME_LIMIT_S = 60.0   # a request may ask for less time, never more: one plan must not hold a worker for minutes
MAX_WEIGHT = 1000.0       # an objective weight; the defaults are 0.5 to 10
MAX_PARTICIPANTS = 2000   # Flanders has about 530 governments; bounds make absurd bodies fail fast

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
# a code list (weight 1 each) or code: weight from 0 to 1; a stated interest outranks what the cases suggest
Interests = list[Code] | dict[Code, Unit]


def _nis_text(value: Any) -> Any:
    # NIS codes are written as numbers in hand-made YAML; 24062 and "24062" are the same code
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


NisCode = Annotated[str, BeforeValidator(_nis_text), StringConstraints(pattern=r"^\d{5}$")]
ParticipantRef = Annotated[str, BeforeValidator(_nis_text), StringConstraints(min_length=1, max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParticipantProfile(Profile):
    """The API profile plus what only the planner uses; stated values override the graph's."""

    themes: Interests = Field(default=[], max_length=MAX_CODES)
    instruments: Interests = Field(default=[], max_length=MAX_CODES)
    support_forms: Interests = Field(default=[], max_length=MAX_CODES)
    interests: Interests = Field(default=[], max_length=3 * MAX_CODES,
                                 description="themes, instruments and support forms in one list")
    frontrunner: bool | None = None
    capacity: Unit | None = None
    willingness_to_share: Unit | None = None
    impact: Unit | None = None
    neighbours: list[ParticipantRef] | None = Field(default=None, max_length=MAX_PARTICIPANTS)
    associations: list[ParticipantRef] | None = Field(default=None, max_length=MAX_PARTICIPANTS)
    groups: list[Code] | None = Field(default=None, max_length=50, description="the groups it may join")
    must_participate: bool | None = None


class ParticipantIn(_Strict):
    """A participant: a municipality by NIS code, another government by IRI, or one not in the graph by id."""

    nis_code: NisCode | None = None
    iri: Text(500) | None = None
    id: Text(100) | None = None
    profile: ParticipantProfile | None = None

    @model_validator(mode="after")
    def _identified(self) -> ParticipantIn:
        if self.nis_code is None and self.iri is None and not (self.id and self.profile and self.profile.name):
            raise ValueError("give a nis_code, an iri, or an id with a profile that has a name")
        return self


class GroupIn(_Strict):
    code: Code
    min_size: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    max_size: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)


class BoundsIn(_Strict):
    min: int = Field(default=0, ge=0, le=MAX_PARTICIPANTS)
    max: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    min_share: Unit = 0.0
    max_share: Unit | None = None


class ConstraintsIn(_Strict):
    max_groups_per_participant: int | None = Field(default=None, ge=1, le=50)
    exactly_one_group: bool = Field(default=False, description="every participant in exactly one group")
    assign_all: bool | None = None
    min_frontrunners_per_group: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    min_frontrunner_share: Unit | None = None
    max_per_province: int | None = Field(default=None, ge=1, le=MAX_PARTICIPANTS)
    maturity_mix: dict[Code, BoundsIn] | None = Field(default=None, description="per adoption group")
    government_type_mix: dict[Code, BoundsIn] | None = None
    must_link: list[tuple[ParticipantRef, ParticipantRef]] = Field(default=[], max_length=5000)
    cannot_link: list[tuple[ParticipantRef, ParticipantRef]] = Field(default=[], max_length=5000)
    fixed: dict[ParticipantRef, Code | list[Code]] = Field(default={}, description="participant: group code(s)")


class WeightsIn(_Strict):
    """Weights of the objective's terms (defaults in ``recommender.cop.objective.Weights``)."""

    interest_fit: float | None = Field(default=None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    selection: float | None = Field(default=None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    learning: float | None = Field(default=None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    cooperation: float | None = Field(default=None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    mentees_per_frontrunner: int | None = Field(default=None, ge=0, le=int(MAX_WEIGHT))
    small_population: int | None = Field(default=None, ge=0, le=10_000_000)
    frontrunner_topic_threshold: Unit | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        # NaN compares false with everything and inf overflows the solver: refused with a plain message
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


def _participant_entry(value: Any) -> Any:
    # a bare NIS code stands for {"nis_code": ...}
    return {"nis_code": _nis_text(value)} if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def _group_entry(value: Any) -> Any:
    return {"code": value} if isinstance(value, str) else value   # a bare code stands for {"code": ...}


class PlanRequest(_Strict):
    """A planning request: who takes part, which groups, the coordinator's rules and the objective's weights."""

    participants: list[Annotated[ParticipantIn, BeforeValidator(_participant_entry)]] = Field(
        min_length=1, max_length=MAX_PARTICIPANTS, description="objects, or bare NIS codes")
    groups: list[Annotated[GroupIn, BeforeValidator(_group_entry)]] | None = Field(default=None, min_length=1, max_length=50,
                                                description="default: every CoP and coaching track")
    constraints: ConstraintsIn | None = None
    weights: WeightsIn | None = None
    time_limit_s: float | None = Field(default=None, gt=0, le=MAX_TIME_LIMIT_S)


__all__ = ["BoundsIn", "ConstraintsIn", "GroupIn", "MAX_TIME_LIMIT_S", "ParticipantIn", "ParticipantProfile",
           "PlanRequest", "WeightsIn"]
