"""Which activities of a log play which part in the lead-to-cash KPIs.

KPIs are defined on roles ("quote approved", "payment received"), not on activity names, so
one KPI function measures a Dynamics 365 export, an Oracle one, a Japanese one and every
simulated log. The built-in names are recognised as they are, names close to one of them
(a typo, "Quote approved by manager") with a confidence, and a user whose CRM says
"Angebot freigegeben" maps a role instead of renaming their data. Names are compared by
letters and digits only, so case, full-width characters, punctuation and spacing do not
matter.

The mapping travels with the model file (``ProcessModel.roles``). While a command works on
one model or log, ``in_effect`` makes its mapping what ``ActivityRoles.default()`` gives, so
every fitter, KPI and scenario that asks for the roles reads the same one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, cached_property
from types import MappingProxyType

from sim.errors import PlannerError, did_you_mean

ROLES: tuple[str, ...] = (
    "lead_created", "lead_qualified", "opportunity_created", "first_contact",
    "solution_proposed", "quote_created", "quote_approved", "quote_accepted",
    "contract_signed", "opportunity_won", "opportunity_lost", "order_created",
    "order_fulfilled", "invoice_generated", "invoice_sent", "payment_received",
)

# The first name of each role is the one messages use ("no 'Quote Approved' activity").
DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "lead_created": ("Lead Created", "Lead Captured", "Create Lead", "New Lead", "Lead Received",
                     "リード作成", "リード獲得", "リード登録", "リード取得"),
    "lead_qualified": ("Lead Qualified", "Qualify Lead", "Lead Qualification", "Qualify",
                       "リード評価", "リード認定", "リード選別"),
    "opportunity_created": ("Opportunity Created", "Create Opportunity", "Opportunity Opened",
                            "New Opportunity", "Lead Converted", "Opportunity Qualified",
                            "商談作成", "商談登録", "商談化"),
    "first_contact": ("First Customer Contact", "First Contact", "Initial Contact",
                      "Initial Customer Contact", "初回顧客接触", "初回接触", "初回訪問"),
    "solution_proposed": ("Solution Proposed", "Propose Solution", "Solution Presented",
                          "ソリューション提案", "提案実施"),
    "quote_created": ("Quote Created", "Quote Issued", "Proposal Issued", "Create Quote",
                      "Proposal Created", "見積作成", "見積書作成", "見積もり作成", "見積提出",
                      "見積発行", "見積書発行"),
    "quote_approved": ("Quote Approved", "Approve Quote", "Quote Approval", "Quote Activated",
                       "Quote Pending Approval Completed",
                       "見積承認", "見積書承認", "見積もり承認"),
    "quote_accepted": ("Quote Accepted", "Proposal Accepted", "Accept Quote", "Quote Won",
                       "見積受諾", "見積合意", "見積承諾"),
    "contract_signed": ("Contract Signed", "Sign Contract", "Contract Executed",
                        "契約締結", "契約署名"),
    "opportunity_won": ("Opportunity Won", "Deal Won", "Closed Won", "Won", "Close as Won",
                        "受注", "成約", "商談成立"),
    "opportunity_lost": ("Opportunity Lost", "Deal Lost", "Closed Lost", "Lost", "Close as Lost",
                         "No Sale", "失注",
                         "商談失注"),
    "order_created": ("Sales Order Created", "Order Created", "Create Sales Order",
                      "Create Order", "Order Placed", "Order Submitted", "Order Booked",
                      "受注登録", "販売注文作成", "注文登録"),
    "order_fulfilled": ("Order Fulfilled", "Service Delivered", "Order Delivered",
                        "Order Shipped", "Delivered", "納品", "納品完了", "出荷完了",
                        "サービス提供"),
    "invoice_generated": ("Invoice Generated", "Invoice Created", "Create Invoice",
                          "Generate Invoice", "請求書作成", "請求書発行"),
    "invoice_sent": ("Invoice Sent", "Send Invoice", "Invoice Issued", "請求書送付",
                     "請求書送信"),
    "payment_received": ("Payment Received", "Payment Collected", "Invoice Paid",
                         "Receive Payment", "Cash Received", "入金", "入金確認", "入金消込"),
})


def role_label(role: str, language: str = "en") -> str:
    """A role as a person reads it: 'Quote approved', or (``ja``) its built-in Japanese name."""
    if language == "ja":
        return next(name for name in DEFAULT_NAMES[role] if not name.isascii())
    return role.replace("_", " ").capitalize()

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def name_key(name: object) -> str:
    """How activity names compare: 'Quote-approved ' and 'QUOTE APPROVED' are the same."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def _check_roles(roles: Iterable[str]) -> None:
    for role in roles:
        if role not in ROLES:
            raise PlannerError(f"'{role}' is not a KPI activity role.{did_you_mean(role, ROLES)}"
                               f" The roles are: {', '.join(ROLES)}.")


@dataclass(frozen=True)
class ActivityRoles:
    """For each KPI role, the activity names that play it (one role per name)."""

    names: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        _check_roles(self.names)
        names = {role: tuple(str(n) for n in self.names.get(role, ())) for role in ROLES}
        object.__setattr__(self, "names", MappingProxyType(names))
        _ = self._lookup  # fail now, not at first use, if a name has two roles

    def __reduce__(self) -> tuple[type[ActivityRoles], tuple[dict[str, tuple[str, ...]]]]:
        """Pickled as its plain mapping (simulated logs travel between processes)."""
        return ActivityRoles, (dict(self.names),)

    @classmethod
    def builtin(cls) -> ActivityRoles:
        """The D365, Oracle CX and Japanese names of the lead-to-cash activities."""
        return _builtin()

    @classmethod
    def default(cls) -> ActivityRoles:
        """The mapping in effect (``in_effect``), else the built-in names."""
        return _IN_EFFECT.get() or _builtin()

    def with_overrides(self, overrides: Mapping[str, str | Iterable[str]]) -> ActivityRoles:
        """A copy where each given role has exactly the given names.

        The given names leave any other role they had, so an override never makes one
        activity count twice.
        """
        _check_roles(overrides)
        given = {role: (value,) if isinstance(value, str) else tuple(value)
                 for role, value in overrides.items()}
        claimed = {name_key(n) for names in given.values() for n in names}
        names = {role: given.get(role, tuple(n for n in self.names[role]
                                              if name_key(n) not in claimed))
                 for role in ROLES}
        return ActivityRoles(names)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for role, names in self.names.items():
            for name in names:
                other = lookup.setdefault(name_key(name), role)
                if other != role:
                    raise PlannerError(f"Activity '{name}' is given two KPI roles, '{other}' "
                                       f"and '{role}'. Give it to one role only.")
        return lookup

    def role_of(self, activity: object) -> str | None:
        """The role an activity name plays, or None."""
        return self._lookup.get(name_key(activity))

    def resolve(self, activity_names: Iterable[object]) -> dict[str, set[str]]:
        """The roles present among these activity names, each with the names that play it."""
        found: dict[str, set[str]] = {}
        for name in activity_names:
            role = self.role_of(name)
            if role is not None:
                found.setdefault(role, set()).add(str(name))
        return {role: found[role] for role in ROLES if role in found}

    def mapped(self, activity_names: Iterable[object]) -> dict[str, tuple[str, ...]]:
        """The roles these activities play, each with its activities in name order: what a
        model file keeps."""
        return {role: tuple(sorted(names)) for role, names in self.resolve(activity_names).items()}

    def display(self, role: str) -> str:
        """The name messages use for a role: its first activity name."""
        _check_roles([role])
        return self.names[role][0] if self.names[role] else role


@cache
def _builtin() -> ActivityRoles:
    return ActivityRoles(DEFAULT_NAMES)


_IN_EFFECT: ContextVar[ActivityRoles | None] = ContextVar("activity_roles", default=None)


@contextmanager
def in_effect(roles: ActivityRoles) -> Iterator[ActivityRoles]:
    """While the block runs (in this thread), ``ActivityRoles.default()`` is ``roles``."""
    token = _IN_EFFECT.set(roles)
    try:
        yield roles
    finally:
        _IN_EFFECT.reset(token)


MIN_CONFIDENCE = 0.8  # a name less like a built-in one than this is not taken for it


@dataclass(frozen=True)
class RoleMatch:
    """An activity taken for a role: ``confidence`` 1 for a built-in (or mapped) name, else
    how alike its letters are to ``like``, the built-in name it resembles most."""

    role: str
    activity: str
    confidence: float
    like: str


@dataclass(frozen=True)
class Detection:
    """The roles found among a log's activities, and how sure each match is."""

    roles: ActivityRoles
    matches: tuple[RoleMatch, ...]

    @property
    def guessed(self) -> tuple[RoleMatch, ...]:
        """The matches that are not a built-in or mapped name: worth a look."""
        return tuple(m for m in self.matches if m.confidence < 1.0)

    def missing(self) -> tuple[str, ...]:
        """Roles no activity plays."""
        found = {m.role for m in self.matches}
        return tuple(r for r in ROLES if r not in found)


def _likeness(name: str, known: str) -> float:
    return SequenceMatcher(None, name_key(name), name_key(known)).ratio()


def detect(activities: Iterable[object], mapped: Mapping[str, str | Iterable[str]] | None = None,
           base: ActivityRoles | None = None) -> Detection:
    """Which activities play which role: the ``mapped`` ones as given, then ``base``'s names
    (the built-in ones by default), then names close to one of those (at least
    ``MIN_CONFIDENCE`` alike) for roles neither played nor mapped (to nothing, say)."""
    roles = (base or ActivityRoles.builtin()).with_overrides(mapped or {})
    names = sorted({str(a) for a in activities})
    matches = [RoleMatch(role, name, 1.0, name) for role, found in roles.resolve(names).items()
               for name in sorted(found)]
    played = {m.role for m in matches} | set(mapped or {})  # a mapped role is never guessed
    taken = {m.activity for m in matches}
    guesses: dict[str, list[RoleMatch]] = {}
    for name in names:
        if name in taken:
            continue
        score, role, like = max(((_likeness(name, known), role, known)
                                 for role in ROLES if role not in played
                                 for known in roles.names[role]), default=(0.0, "", ""))
        if score >= MIN_CONFIDENCE:
            guesses.setdefault(role, []).append(RoleMatch(role, name, round(score, 2), like))
    matches += [m for found in guesses.values() for m in found]
    extra = {role: [*roles.names[role], *(m.activity for m in found)]
             for role, found in guesses.items()}
    order = {role: number for number, role in enumerate(ROLES)}
    return Detection(roles.with_overrides(extra) if extra else roles,
                     tuple(sorted(matches, key=lambda m: (order[m.role], m.activity))))
