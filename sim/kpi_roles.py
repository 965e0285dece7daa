"""Which activities of a log play which part in the lead-to-cash KPIs.

KPIs are defined on roles ("quote approved", "payment received"), not on activity names, so
one KPI function measures a Dynamics 365 export, an Oracle one, a Japanese one and every
simulated log. The defaults recognise the usual names; a user whose CRM says "Angebot
freigegeben" overrides a role instead of renaming their data. Names are compared by letters
and digits only, so case, full-width characters, punctuation and spacing do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
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
    "lead_qualified": ("Lead Qualified", "Qualify Lead", "Lead Qualification",
                       "リード評価", "リード認定", "リード選別"),
    "opportunity_created": ("Opportunity Created", "Create Opportunity", "Opportunity Opened",
                            "New Opportunity", "商談作成", "商談登録", "商談化"),
    "first_contact": ("First Customer Contact", "First Contact", "Initial Contact",
                      "Initial Customer Contact", "初回顧客接触", "初回接触", "初回訪問"),
    "solution_proposed": ("Solution Proposed", "Propose Solution", "Solution Presented",
                          "ソリューション提案", "提案実施"),
    "quote_created": ("Quote Created", "Quote Issued", "Proposal Issued", "Create Quote",
                      "Proposal Created", "見積作成", "見積書作成", "見積もり作成", "見積提出",
                      "見積発行", "見積書発行"),
    "quote_approved": ("Quote Approved", "Approve Quote", "Quote Approval",
                       "見積承認", "見積書承認", "見積もり承認"),
    "quote_accepted": ("Quote Accepted", "Proposal Accepted", "Accept Quote", "Quote Won",
                       "見積受諾", "見積合意", "見積承諾"),
    "contract_signed": ("Contract Signed", "Sign Contract", "Contract Executed",
                        "契約締結", "契約署名"),
    "opportunity_won": ("Opportunity Won", "Deal Won", "Closed Won", "Won", "受注", "成約",
                        "商談成立"),
    "opportunity_lost": ("Opportunity Lost", "Deal Lost", "Closed Lost", "Lost", "失注",
                         "商談失注"),
    "order_created": ("Sales Order Created", "Order Created", "Create Sales Order",
                      "Create Order", "Order Placed", "受注登録", "販売注文作成", "注文登録"),
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

    @classmethod
    def default(cls) -> ActivityRoles:
        """The D365, Oracle CX and Japanese names of the lead-to-cash activities."""
        return cls(DEFAULT_NAMES)

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

    def display(self, role: str) -> str:
        """The name messages use for a role: its first activity name."""
        _check_roles([role])
        return self.names[role][0] if self.names[role] else role
