"""Every domain enum the API shows, registered here once with its GraphQL name and description:
types and inputs annotate their fields with these domain classes themselves (import them from
here, so the registration has happened whenever one is used)."""

from __future__ import annotations

import strawberry

from redline.errors import ErrorCode
from scoring.assessments.models import AppealState, AssessmentState, CycleState, ScoreState
from scoring.engine import ClauseKind, ClauseScope, Grade, Method
from scoring.engine.consequences import Consequence, Trigger
from scoring.engine.words import Language as ExplanationLanguage
from scoring.followup.notifications import NotificationKind
from scoring.jobs.runs import JobKind, JobState
from scoring.ledgers.models import (
    AccidentClass,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
    SectionKind,
    Sector,
    StatementParty,
    StatementState,
    TaskState,
)
from scoring.rankings.matrix import ColumnKind, MatrixSort, Relative
from scoring.reports.archive import ReportKind
from scoring.reports.words import Language
from scoring.templates.models import (
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    TemplateState,
    VetoKind,
)
from tenants.models import Role, TenantKind, TenantLevel

from .enum_values import describe_domain_values

__all__ = [
    "AccidentClass",
    "AccidentMeasure",
    "AppealState",
    "AssessmentState",
    "ClauseKind",
    "ClauseScope",
    "ColumnKind",
    "Consequence",
    "CycleState",
    "ErrorCode",
    "ExplanationLanguage",
    "Grade",
    "HazardSeverity",
    "HazardSource",
    "HazardState",
    "ItemKind",
    "JobKind",
    "JobState",
    "Language",
    "MatrixSort",
    "Method",
    "NotificationKind",
    "Relative",
    "ReportKind",
    "ReportStatus",
    "Role",
    "RuleSeverity",
    "ScoreState",
    "SectionKind",
    "Sector",
    "StatementParty",
    "StatementState",
    "TaskState",
    "TemplateState",
    "TenantKind",
    "TenantLevel",
    "Trigger",
    "VetoKind",
]

# --- the kernel and the tenants --------------------------------------------------------------

strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Why an input was refused; stable, for programs to switch on.",
)
strawberry.enum(
    TenantLevel,
    name="TenantLevel",
    description="Administrative level: PROVINCE > CITY > COUNTY > TOWNSHIP.",
)
strawberry.enum(
    TenantKind,
    name="TenantKind",
    description="What sort of unit: a region kind, or a DEPARTMENT / AFFILIATED_UNIT / "
    "ENTERPRISE attached to a region at the region's level (these may have no English name; the "
    "region assesses them in a cycle at its own level).",
)
strawberry.enum(Role, name="Role", description="A role granted on a unit.")

# --- templates -------------------------------------------------------------------------------

strawberry.enum(
    TemplateState,
    name="TemplateState",
    description="DRAFT is edited; PUBLISHED is immutable and can be assessed with; "
    "ARCHIVED is only read.",
)
strawberry.enum(
    ItemKind, name="TemplateItemKind", description="A CATEGORY holds items; an INDICATOR is scored."
)
strawberry.enum(
    Method, name="ScoringMethod", description="How an indicator turns its input into points."
)
strawberry.enum(
    ClauseKind,
    name="ClauseKind",
    description="ZERO zeroes the item; FIXED deducts once; PER_OCCURRENCE deducts per count; "
    "CASCADE deducts more once the other clauses have taken `threshold` points; EXTRA "
    "(除本小项不得分外，加扣N分) zeroes the item and takes `points` more off its `scope`; "
    "JUDGEMENT (酌情扣分) deducts the whole points a person enters as its count, at most `points`.",
)
strawberry.enum(
    ExplanationLanguage,
    name="ExplanationLanguage",
    description="The language a template's scorecards are explained in.",
)
strawberry.enum(
    ClauseScope,
    name="ClauseScope",
    description="How far a clause reaches: ITEM (its own item), CATEGORY (the items of the "
    "category it sits in), TEMPLATE (the whole template and its total).",
)
strawberry.enum(
    VetoKind,
    name="VetoKind",
    description="How a veto rule fires: MANUAL is raised by an assessor; the others fire by "
    "themselves from ledger facts in the cycle's period (LARGER_ACCIDENT: an accident of class "
    "larger or worse; CONCEALED_ACCIDENT: a concealed accident came to light; "
    "LATE_REPORTED_ACCIDENT: an accident reported late; OVERDUE_MAJOR_HAZARD: a major hazard "
    "listed for supervision is overdue; ACCIDENT_DEATHS: an accident with at least `threshold` "
    "deaths; OVERDUE_TASKS: at least `threshold` task elements overdue) or from the previous "
    "cycle (PREVIOUS_CRITICISM: the unit was graded unqualified in it; REPEATED_YELLOW_CARD: a "
    "yellow card in it and again in this cycle).",
)
strawberry.enum(
    RuleSeverity,
    name="RuleSeverity",
    description="What a template rule does: VETO (一票否决) makes the unit unqualified whatever "
    "its score; YELLOW_CARD (黄牌警告) warns: no points off, no grade change, but the unit is "
    "flagged in rankings and reports and is not a commendation candidate.",
)

# --- cycles, assessments, scores -------------------------------------------------------------

strawberry.enum(
    CycleState,
    name="CycleState",
    description="OPEN takes submissions and reviews; CLOSED is read only.",
)
strawberry.enum(
    AssessmentState,
    name="AssessmentState",
    description="DRAFT -> SUBMITTED -> (RETURNED -> RESUBMITTED)* -> REVIEWED -> FINAL.",
)
strawberry.enum(
    AppealState,
    name="AppealState",
    description="OPEN waits for the assessor, who makes it ACCEPTED (points adjusted) or REJECTED.",
)
strawberry.enum(
    Grade, name="Grade", description="By the template's thresholds; a veto makes UNQUALIFIED."
)
strawberry.enum(
    ScoreState,
    name="ScoreState",
    description="A cell of the leaders' matrix: SCORED; MISSING (no input: never shown as "
    "zero); NOT_APPLICABLE (out of the attainable total).",
)

# --- the leaders' matrix ---------------------------------------------------------------------

strawberry.enum(
    ColumnKind,
    name="MatrixColumns",
    description="The matrix's columns: the template's top CATEGORY items, or its INDICATORs.",
)
strawberry.enum(
    MatrixSort,
    name="MatrixSort",
    description="RANK (the ranking's order), CODE, NAME (Chinese), or COLUMN (one column's "
    "percent of max; missing and not applicable always last). Ties keep the ranking's order.",
)
strawberry.enum(
    Relative,
    name="RelativeToAverage",
    description="ABOVE: at or above the average of the filtered rows; BELOW: below it.",
)

# --- ledgers ---------------------------------------------------------------------------------

strawberry.enum(
    Sector,
    name="Sector",
    description="Industry sector (the seeds' list; OTHER for the rest).",
)
strawberry.enum(
    AccidentClass,
    name="AccidentClass",
    description="Class by the State Council regulation on accident reporting (2007), computed "
    "from the figures: the highest class any measure reaches. ESPECIALLY_SERIOUS (特别重大): 30 "
    "or more deaths, 100 or more serious injuries, or 100 million yuan or more direct loss; "
    "MAJOR (重大): 10-29 deaths, 50-99 injuries or 50-100 million yuan; LARGER (较大): 3-9 "
    "deaths, 10-49 injuries or 10-50 million yuan; GENERAL (一般): below all of those.",
)
strawberry.enum(
    AccidentMeasure,
    name="AccidentMeasure",
    description="What a deduction clause fed by the accident ledger counts: ACCIDENTS (每发生一起"
    "……), DEATHS (每死亡1人……) or LATE_REPORT_HOURS (每迟报1小时……: whole hours past the "
    "regulation's one hour, a part hour as one).",
)
strawberry.enum(
    ReportStatus,
    name="ReportStatus",
    description="How the accident reached the authorities: ON_TIME, LATE (迟报), or CONCEALED "
    "(瞒报; discoveredOn says when it came to light).",
)
strawberry.enum(
    HazardState,
    name="HazardState",
    description="OPEN -> RECTIFYING -> RECTIFIED -> VERIFIED (the look-back) -> CLOSED; a "
    "general hazard may go OPEN -> RECTIFIED (rectified on the spot); a failed look-back sends "
    "RECTIFIED back to RECTIFYING.",
)
strawberry.enum(
    HazardSeverity, name="HazardSeverity", description="General (一般) or major (重大隐患)."
)
strawberry.enum(
    HazardSource,
    name="HazardSource",
    description="Who found it: the unit's self-inspection, a department's inspection, or an "
    "unannounced spot check (四不两直).",
)
strawberry.enum(
    TaskState,
    name="TaskState",
    description="PENDING until the responsible unit completes it with evidence; DONE after "
    "(an office above may reopen it).",
)
strawberry.enum(
    SectionKind,
    name="PlanSectionKind",
    description="TOPIC (专题) holds projects and task elements; PROJECT (专项) holds elements.",
)
strawberry.enum(
    StatementParty,
    name="StatementParty",
    description="Who signs with the issuing unit: UNIT (a unit directly below it) or ENTERPRISE.",
)
strawberry.enum(
    StatementState,
    name="StatementState",
    description="ISSUED (waiting for the counterparty's signature) -> SIGNED.",
)

# --- notifications and job runs --------------------------------------------------------------

strawberry.enum(
    NotificationKind,
    name="NotificationKind",
    description="What a notification is about: a deadline within three days (…_DUE), a "
    "self-assessment past due, a hazard or task element gone past its deadline (…_OVERDUE); "
    "an appeal to decide (APPEAL_FILED, to the reviewing unit), an appeal decided "
    "(APPEAL_DECIDED, to the unit).",
)
strawberry.enum(
    JobKind,
    name="JobKind",
    description="FULL_RECOMPUTE: every open assessment re-scored, drift repaired, rankings "
    "published; OVERDUE_SWEEP: the hourly overdue flags; DEADLINE_REMINDERS: the morning "
    "reminders; REPORT: a report printed and kept (its file on the run's report).",
)
strawberry.enum(
    JobState,
    name="JobState",
    description="QUEUED -> RUNNING -> SUCCEEDED or FAILED (a failed run retried runs again).",
)
strawberry.enum(
    ReportKind,
    name="ReportKind",
    description="SCORECARD: a unit's scorecard for a cycle; RANKING: a region's ranking of a "
    "cycle at one level; STATISTICS: a subtree's accidents and hazards for a period, year on "
    "year; CONSEQUENCES: a cycle's consequences register (奖惩登记) for the units of a scope.",
)
strawberry.enum(
    Language,
    name="ReportLanguage",
    description="A printed report's language: ZH (Chinese, the default) or EN (English).",
)
strawberry.enum(
    Consequence,
    name="Consequence",
    description="What a cycle's result does to a unit: COMMENDATION (通报表扬), CRITICISM "
    "(通报批评), INTERVIEW of its leaders (约谈), INELIGIBILITY of its leaders for commendation "
    "or promotion (取消评优评先、提拔资格) for the period the template states.",
)
strawberry.enum(
    Trigger,
    name="ConsequenceTrigger",
    description="What brings a criticism or an interview about: VETO (一票否决), YELLOW_CARD "
    "(黄牌警告), UNQUALIFIED (a total below the qualified threshold), OVERDUE_MAJOR_HAZARDS "
    "(listed major hazards past their deadline).",
)

# Every value's description (the domain classes cannot carry them); __all__ lists the enums
# registered above.
describe_domain_values(globals()[name] for name in __all__)
