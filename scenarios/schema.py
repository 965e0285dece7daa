"""What a scenario file may say: its name, what it extends, and a list of changes.

Each change is a mapping with one key naming its type (``duration``, ``pool``, ...) and the
change's settings. Settings are checked here for shape; names of activities, pools and
attributes are checked against the model when the scenario is applied.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scenarios.durations import parse_duration
from sim.bounds import (
    MAX_POOL_SIZE,
    MAX_SCALE,
    MAX_SHIFT_DAYS,
    MAX_SHIFT_SECONDS,
    MAX_VOLUME_SCALE,
)
from sim.costs import ScenarioCosts
from sim.distributions import Distribution


class Settings(BaseModel):
    """A change's settings; ``segment`` restricts the change to the cases with one value of
    one case attribute (``{lead_source: Web}``): the others keep the baseline."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              allow_inf_nan=False)

    segment: dict[str, str] | None = None

    @field_validator("segment", mode="before")
    @classmethod
    def _one_attribute(cls, segment: object) -> object:
        if segment is None:
            return None
        if not isinstance(segment, dict) or len(segment) != 1 or any(
                isinstance(v, dict | list) or v is None for v in segment.values()):
            raise ValueError("a segment names one attribute and its value, e.g. "
                             "{lead_source: Web}")
        return {str(k): str(v) for k, v in segment.items()}  # 'region: 1' means "1"


class Skip(Settings):
    """Cases go straight on to what follows the activity (``skip: X`` names it alone)."""

    activity: str


class TimeChange(Settings):
    """Scale, shift or cap a duration, or replace its distribution."""

    activity: str
    scale: float | None = Field(default=None, ge=0, le=MAX_SCALE)
    shift: float | None = None
    cap: float | None = Field(default=None, ge=0)
    distribution: Distribution | None = None

    @field_validator("shift", "cap", mode="before")
    @classmethod
    def _duration(cls, value: object) -> float | None:
        seconds = None if value is None else parse_duration(value)
        if seconds is not None and abs(seconds) > MAX_SHIFT_SECONDS:
            raise ValueError(f"'{value}' is more than {MAX_SHIFT_DAYS:g} days (10 years) "
                             "either way")
        return seconds

    @model_validator(mode="after")
    def _something(self) -> Self:
        if all(v is None for v in (self.scale, self.shift, self.cap, self.distribution)):
            raise ValueError("say what changes: scale, shift, cap or distribution")
        return self


class Automate(Settings):
    """The activity is done by a system: instant, no person; errors go to a manual fix."""

    activity: str
    error_rate: float = Field(default=0.0, ge=0, lt=1)


class PoolChange(Settings):
    name: str
    size: int | None = Field(default=None, ge=1, le=MAX_POOL_SIZE)
    add: int | None = Field(default=None, ge=-MAX_POOL_SIZE, le=MAX_POOL_SIZE)
    calendar: str | None = Field(default=None, description="e.g. 'Mon-Fri 08:00-18:00'")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.size is None and self.add is None and self.calendar is None:
            raise ValueError("say what changes: size, add or calendar")
        if self.size is not None and self.add is not None:
            raise ValueError("give size or add, not both")
        return self


class TransitionChange(Settings):
    """The chance of going from one activity to another, scaled or set; others renormalised."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    scale: float | None = Field(default=None, ge=0, le=MAX_SCALE)
    probability: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.scale is None) == (self.probability is None):
            raise ValueError("give either scale or probability")
        return self


class ReworkCut(Settings):
    """A rework loop (going back from ``from`` to ``to``) cut by a share."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    cut: float = Field(ge=0, le=1)


class VolumeChange(Settings):
    scale: float = Field(gt=0, le=MAX_VOLUME_SCALE)


class MixChange(Settings):
    """New shares of a case attribute's values (e.g. lead sources); others keep the rest."""

    attribute: str
    shares: dict[str, float]

    @field_validator("shares")
    @classmethod
    def _shares(cls, shares: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in shares.values()) or sum(shares.values()) > 1 + 1e-9:
            raise ValueError("shares must be >= 0 and add up to at most 1")
        return shares


class PaymentChange(Settings):
    """Customers pay ``days`` sooner (negative) or later, or all on new terms."""

    days: float | None = Field(default=None, ge=-MAX_SHIFT_DAYS, le=MAX_SHIFT_DAYS)
    terms: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.days is None) == (self.terms is None):
            raise ValueError("give either days or terms")
        return self


class WinChange(Settings):
    """Losses at every stage made more or less likely, for a segment or for all cases."""

    loss_scale: float = Field(ge=0, le=MAX_SCALE)


CHANGE_TYPES: dict[str, type[Settings]] = {
    "duration": TimeChange, "delay": TimeChange, "automate": Automate, "pool": PoolChange,
    "transition": TransitionChange, "rework": ReworkCut, "skip": Skip,
    "volume": VolumeChange, "mix": MixChange, "payment": PaymentChange, "win": WinChange,
}


class Change(BaseModel):
    """One validated change: its type and its settings (``skip`` carries the activity)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    settings: Settings | None = None
    activity: str | None = None

    @property
    def segment(self) -> dict[str, str] | None:
        """The one attribute value whose cases the change is made for (None: all cases)."""
        return self.settings.segment if self.settings is not None else None


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str = ""
    extends: str | list[str] | None = None
    changes: tuple[Change, ...] = ()
    costs: ScenarioCosts | None = None  # its change's fixed cost and prices of its own
    source: str = ""  # file it was read from
    text: str = ""  # the file's text, kept with saved comparisons
