"""The canonical event-log schema: our own column names, and the names other tools use for them.

Every reader hands the rest of the planner one table with these column names, whatever the
export called them. A *role* is the meaning of a column (case id, activity, ...); the
canonical column of a role has the role's name. The canonical names themselves live in
``sim.eventlog``; this module knows what other tools call them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START

TIMESTAMP = "timestamp"  # a single timestamp column: becomes start_time = end_time
LIFECYCLE = "lifecycle"  # XES lifecycle:transition, paired away by the reader


@dataclass(frozen=True)
class Role:
    """One column meaning of the data template."""

    name: str
    meaning: str
    level: str  # "event" or "case"
    required: bool
    example: str
    aliases: tuple[str, ...]


ROLES: tuple[Role, ...] = (
    Role(CASE_ID, "Opportunity id: links every event of one deal (the case)", "event", True,
         "OPP-000123",
         ("case_id", "case", "caseid", "case:concept:name", "opportunity_id", "opportunity",
          "opportunityid", "opportunity id", "opportunity number", "opportunitynumber",
          "optyid", "optynumber", "opty_id", "opty number", "deal id", "deal_id",
          "商談id", "商談番号", "ケースid", "案件id")),
    Role(ACTIVITY, "Activity name: the step that happened", "event", True, "Quote Approved",
         ("activity", "activity_name", "activity name", "concept:name", "event", "event name",
          "eventname", "step", "task", "activityname", "activity type", "activitytypecode",
          "アクティビティ", "アクティビティ名", "活動", "イベント")),
    Role(START, "When the activity started (or happened, for atomic events)", "event", True,
         "2025-03-04 09:15",
         ("start_time", "start", "starttime", "start timestamp", "start_timestamp",
          "start date", "startdate", "actualstart", "actual start", "scheduledstart",
          "activitystartdate", "activity start date", "start:timestamp", "開始時刻", "開始日時",
          "開始日")),
    Role(END, "When the activity ended; equal to start for atomic events", "event", False,
         "2025-03-04 10:40",
         ("end_time", "end", "endtime", "end timestamp", "end_timestamp", "complete_time",
          "completion time", "end date", "enddate", "actualend", "actual end",
          "activityenddate", "activity end date", "完了時刻", "終了時刻", "終了日時", "終了日")),
    Role(TIMESTAMP, "When the event happened (a log with one timestamp per event)", "event",
         False, "2025-03-04 09:15",
         ("timestamp", "time:timestamp", "time", "event time", "eventtime", "event timestamp",
          "date", "datetime", "created on", "createdon", "occurred at", "タイムスタンプ",
          "日時")),
    Role(LIFECYCLE, "Lifecycle transition of the event (start, complete, schedule)", "event",
         False, "complete",
         ("lifecycle", "lifecycle:transition", "transition", "event type", "eventtype",
          "lifecycle transition")),
    Role(RESOURCE, "Who did it: owner, sales rep, approver or clerk", "event", False,
         "Aiko Tanaka",
         ("resource", "org:resource", "owner", "owner name", "ownername", "ownerid",
          "owning user", "owninguser", "user", "user name", "username", "sales rep",
          "salesrep", "performed by", "performer", "agent", "employee", "owner resource",
          "ownerresourcepartyname", "担当者", "営業担当者", "実行者", "ユーザー")),
    Role("outcome", "Won or lost (empty while the deal is open)", "case", False, "Won",
         ("outcome", "status", "statuscode", "status code", "status reason", "statusreason",
          "opportunity status", "won/lost", "won lost", "result", "case:outcome",
          "deal status", "結果", "ステータス", "受注/失注")),
    Role("amount", "Estimated or actual opportunity value", "case", False, "48000",
         ("amount", "value", "revenue", "estimated revenue", "est. revenue", "estimatedvalue",
          "estimated value", "actual revenue", "actualvalue", "opportunity revenue",
          "opportunity amount", "deal value", "deal size", "case:amount", "金額", "売上",
          "見込み金額", "商談金額")),
    Role("lead_source", "Where the lead came from (web, referral, event, partner, ...)", "case",
         False, "Web",
         ("lead_source", "lead source", "leadsource", "leadsourcecode", "lead source code",
          "source", "primary source", "primarysource", "channel", "case:lead_source",
          "リードソース", "リード元", "流入元")),
    Role("stage", "Sales pipeline stage at the event (qualify, develop, propose, close)",
         "event", False, "Propose",
         ("stage", "sales stage", "salesstage", "salesstagecode", "stepname", "step name",
          "pipeline phase", "pipelinephase", "sales stage name", "営業ステージ", "ステージ",
          "フェーズ")),
    Role("account", "Customer account", "case", False, "Contoso Ltd",
         ("account", "account name", "accountname", "customer", "customer name",
          "potential customer", "customerid", "parentaccountid", "targetpartyname",
          "target party name", "case:account", "取引先", "顧客", "顧客名", "取引先名")),
    Role("region", "Region or sales territory", "case", False, "EMEA",
         ("region", "territory", "territoryid", "sales territory", "primary territory",
          "primaryterritory", "territory name", "case:region", "地域", "テリトリー", "エリア")),
    Role("lost_reason", "Why the deal was lost (lost deals only)", "case", False,
         "Price too high",
         ("lost_reason", "lost reason", "lostreason", "reason lost", "reasonwonlostcode",
          "reason won lost code", "win/loss reason", "close reason", "case:lost_reason",
          "失注理由")),
    Role("discount", "Discount granted, as a share 0-1 or a percentage", "case", False, "0.12",
         ("discount", "discount rate", "discount %", "discount_rate", "discountpercentage",
          "discount percentage", "case:discount", "割引率", "値引率")),
    Role("payment_terms", "Agreed payment terms", "case", False, "Net 30",
         ("payment_terms", "payment terms", "paymentterms", "paymenttermscode",
          "payment terms code", "case:payment_terms", "支払条件", "支払い条件")),
    Role("contract_type", "Contract type", "case", False, "Subscription",
         ("contract_type", "contract type", "contracttype", "case:contract_type",
          "契約種別", "契約タイプ")),
    Role("product_category", "Product or service category", "case", False, "Software",
         ("product_category", "product category", "productcategory", "product line",
          "product family", "case:product_category", "製品カテゴリ", "商品カテゴリ")),
)

ROLE_BY_NAME: dict[str, Role] = {r.name: r for r in ROLES}
# Roles that the reader consumes (they do not survive as columns of the canonical table).
INPUT_ONLY_ROLES = (TIMESTAMP, LIFECYCLE)
CASE_LEVEL_ROLES: tuple[str, ...] = tuple(r.name for r in ROLES if r.level == "case")


def normalise_header(name: object) -> str:
    """Compare headers loosely: case, spaces, underscores, dots and dashes don't matter."""
    text = str(name).strip().lower()
    return re.sub(r"[\s_\-.]+", " ", text).strip()


ALIAS_TO_ROLE: dict[str, str] = {
    normalise_header(alias): role.name for role in ROLES for alias in role.aliases
}
