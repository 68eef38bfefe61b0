"""The descriptions of enum values, for the domain enums the API shows: the domain classes are
plain Python enums, so their GraphQL values are described here, after registration
(``describe_values``), rather than with ``strawberry.enum_value`` in the classes."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from strawberry.types.enum import StrawberryEnumDefinition


def describe_values(cls: type[enum.Enum], descriptions: Mapping[str, str]) -> None:
    """Give the GraphQL values of ``cls`` (registered with ``strawberry.enum`` already) these
    descriptions, by value name; a name the enum does not have is a mistake."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    assert isinstance(definition, StrawberryEnumDefinition), cls
    unknown = set(descriptions) - {value.name for value in definition.values}
    if unknown:
        raise ValueError(f"{definition.name} has no value {', '.join(sorted(unknown))}")
    for value in definition.values:
        if value.name in descriptions:
            value.description = descriptions[value.name]


# --- the kernel and the tenants --------------------------------------------------------------

ERROR_CODES = {
    "REQUIRED": "A value is missing.",
    "INVALID": "A value is malformed, out of range or not allowed here.",
    "NOT_FOUND": "No such object that you can see (objects you may not see are not found).",
    "DUPLICATE": "The value is already taken, or given twice in one input.",
    "LEVEL_ORDER": "A unit would break the hierarchy: a region sits one level below a region, a "
    "department, affiliated unit or enterprise at its parent's own level.",
    "CYCLE": "A unit would sit under itself or one of its descendants.",
    "PERMISSION_DENIED": "Your roles do not allow this here.",
    "UNAUTHENTICATED": "Not signed in, or the session or API token is no longer valid.",
    "INVALID_CREDENTIALS": "Wrong username or password (the same answer for an unknown user).",
    "TOO_MANY_ATTEMPTS": "Too many failed sign-ins: wait the seconds the message names.",
    "OTP_REQUIRED": "The password was right; send signIn again with the authenticator app's "
    "code as otp.",
    "PASSWORD_CHANGE_REQUIRED": "An admin reset the password: choose a new one with "
    "changePassword before anything else.",
    "CONFLICT": "Someone changed it since you read it (expectedVersion is stale): reload and redo.",
    "INVALID_STATE": "Not allowed in the object's current workflow state.",
    "TOO_LARGE": "A file, a list or a request is larger than allowed; the message names the limit.",
    "INFECTED": "The virus scanner found malware in an uploaded file (the message names it and "
    "the file); nothing was kept.",
    "SCAN_FAILED": "An uploaded file could not be scanned for viruses (the scanner failed or "
    "took too long); nothing was kept: try again later.",
    "TOO_COSTLY": "The operation would cost more than a request may spend (extensions.cost says "
    "how much): ask for smaller pages, fewer aliases or nested lists.",
    "RATE_LIMITED": "These credentials spent their cost points for this minute on expensive "
    "operations: try again after extensions.retryAfter seconds.",
    "PERSISTED_QUERY_NOT_FOUND": "No registered operation has the persisted query's hash (a "
    "frontend newer than the server: reload).",
    "PERSISTED_QUERY_REQUIRED": "This server answers only registered operations: send "
    "extensions.persistedQuery.sha256Hash (or use an API token).",
}

TENANT_LEVELS = {
    "PROVINCE": "Province (省): the top; no data crosses provinces.",
    "CITY": "City (市, prefecture level).",
    "COUNTY": "County level (县, district, county-level city).",
    "TOWNSHIP": "Township level (乡镇, town, street, management region, development zone): the "
    "lowest.",
}

TENANT_KINDS = {
    "PROVINCE": "A province (省).",
    "CITY": "A city (市).",
    "DISTRICT": "A city district (区), county level.",
    "COUNTY": "A county (县).",
    "COUNTY_CITY": "A county-level city (县级市).",
    "TOWN": "A town (镇), township level.",
    "TOWNSHIP": "A township (乡).",
    "STREET": "A street, or subdistrict (街道), township level.",
    "MANAGEMENT_REGION": "A management region (管理区, such as Xiangjiadang), township level.",
    "DEVELOPMENT_ZONE": "A development zone (开发区), township level.",
    "DEPARTMENT": "A government department (部门), at its region's level.",
    "AFFILIATED_UNIT": "A directly affiliated unit (直属单位), at its region's level.",
    "ENTERPRISE": "An enterprise the region supervises and assesses (企业), at its region's level.",
}

ROLES = {
    "ADMIN": "Manages the subtree: units, users, roles.",
    "TEMPLATE_AUTHOR": "Writes indicator templates for the subtree.",
    "ASSESSOR": "Reviews and spot-checks the units below.",
    "SUBMITTER": "Fills the unit's own self-assessment (its own unit only, not the subtree).",
    "VIEWER": "A leader: reads the subtree.",
}

# --- templates -------------------------------------------------------------------------------

TEMPLATE_STATES = {
    "DRAFT": "Being written; edited in place.",
    "PUBLISHED": "Immutable; cycles can assess with it. A change is a new version.",
    "ARCHIVED": "Only read; cannot be assessed with.",
}

ITEM_KINDS = {
    "CATEGORY": "Holds categories and indicators; its points are capped at its maximum.",
    "INDICATOR": "Is scored.",
}

METHODS = {
    "MANUAL": "The assessor enters the points, in [0, max].",
    "DEDUCTION": "The maximum less what the deduction clauses take, floored at 0.",
    "RATIO": "max x min(1, value / target); 0 below the floor when one is set.",
    "TIERS": "The points of the highest tier the value reaches; 0 below every tier.",
    "BOOLEAN": "Done: the maximum; not done: 0.",
    "BONUS": "Extra points (加分项), capped per indicator and by the template's bonus cap.",
}

CLAUSE_KINDS = {
    "ZERO": 'Zeroes the item when its count is above 0 ("no such system: 0 points").',
    "FIXED": 'Deducts `points` once when its count is above 0 ("not issued as a document: '
    'deduct 1").',
    "PER_OCCURRENCE": 'Deducts `points` x count ("deduct 1 per missing unit").',
    "CASCADE": 'Deducts `points` more once the other clauses have taken `threshold` ("once 4 '
    'are lost, deduct 10 more").',
    "EXTRA": "Zeroes the item and takes `points` more off its `scope` (除本小项不得分外，加扣N分).",
    "JUDGEMENT": "Deducts the points a person enters as its count, at most `points` (酌情扣分).",
}

EXPLANATION_LANGUAGES = {"EN": "English.", "ZH": "Chinese."}

CLAUSE_SCOPES = {
    "ITEM": "The clause's own item.",
    "CATEGORY": "The items of the category the clause's item sits in.",
    "TEMPLATE": "The whole template and its total.",
}

VETO_KINDS = {
    "MANUAL": "Raised by an assessor, with a reason and evidence.",
    "LARGER_ACCIDENT": "An accident of class larger (较大) or worse in the cycle's period.",
    "CONCEALED_ACCIDENT": "A concealed accident (瞒报) came to light in the cycle's period.",
    "LATE_REPORTED_ACCIDENT": "An accident reported late (迟报) in the cycle's period.",
    "OVERDUE_MAJOR_HAZARD": "A major hazard listed for supervision is past its rectification "
    "deadline.",
    "ACCIDENT_DEATHS": "An accident with at least `threshold` deaths in the cycle's period.",
    "OVERDUE_TASKS": "At least `threshold` task elements overdue (逾期未完成的工作任务).",
    "PREVIOUS_CRITICISM": "The unit was graded unqualified in the previous cycle (vetoed or "
    "below the qualified mark).",
    "REPEATED_YELLOW_CARD": "A yellow card in the previous cycle and again in this one "
    "(连续两个周期黄牌警告).",
}

RULE_SEVERITIES = {
    "VETO": "One-ticket veto (一票否决): the unit is unqualified whatever its score.",
    "YELLOW_CARD": "Yellow card (黄牌警告): a warning; no points off, no commendation.",
}

# --- cycles, assessments, scores -------------------------------------------------------------

CYCLE_STATES = {
    "OPEN": "Takes submissions and reviews.",
    "CLOSED": "Read only.",
}

ASSESSMENT_STATES = {
    "DRAFT": "The unit is filling its self-assessment.",
    "SUBMITTED": "Submitted for review; not editable unless returned.",
    "RETURNED": "Returned by the reviewer for the unit to correct.",
    "RESUBMITTED": "Submitted again after a return.",
    "REVIEWED": "Reviewed by the level above; the unit may appeal (申诉) until it is final.",
    "FINAL": "Final: the result stands.",
}

APPEAL_STATES = {
    "OPEN": "Waiting for the assessor's decision.",
    "ACCEPTED": "Accepted: the points were adjusted, with a reason.",
    "REJECTED": "Rejected, with a reason.",
}

GRADES = {
    "EXCELLENT": "At or above the excellent threshold.",
    "GOOD": "At or above the good threshold.",
    "QUALIFIED": "At or above the qualified threshold.",
    "UNQUALIFIED": "Below the qualified threshold, or vetoed.",
}

SCORE_STATES = {
    "SCORED": "Has points.",
    "MISSING": "No input yet: never shown as zero.",
    "NOT_APPLICABLE": "Not applicable (缺项): out of the attainable total.",
}

# --- the leaders' matrix ---------------------------------------------------------------------

MATRIX_COLUMNS = {
    "CATEGORY": "One column per top category of the template.",
    "INDICATOR": "One column per indicator of the template.",
}

MATRIX_SORTS = {
    "RANK": "The ranking's order.",
    "CODE": "The unit's code.",
    "NAME": "The unit's Chinese name.",
    "COLUMN": "One column's percent of its maximum; missing and not applicable always last.",
}

RELATIVES = {
    "ABOVE": "At or above the average of the filtered rows.",
    "BELOW": "Below the average of the filtered rows.",
}

# --- ledgers ---------------------------------------------------------------------------------

SECTORS = {
    "HAZARDOUS_CHEMICALS": "Hazardous chemicals (危险化学品).",
    "COAL_MINES": "Coal mines (煤矿).",
    "NON_COAL_MINES": "Non-coal mines (非煤矿山).",
    "ROAD_TRANSPORT": "Road transport (道路运输).",
    "BUILDING_CONSTRUCTION": "Building construction (建筑施工).",
    "METALLURGY": "Metallurgy (冶金).",
    "FIRE": "Fire (消防).",
    "GAS": "Gas (燃气).",
    "TOURISM": "Tourism (旅游).",
    "CONFINED_SPACE": "Confined-space work (有限空间作业).",
    "FIREWORKS": "Fireworks (烟花爆竹).",
    "SPECIAL_EQUIPMENT": "Special equipment (特种设备).",
    "CIVIL_EXPLOSIVES": "Civil explosives (民用爆炸物品).",
    "WATER_CONSERVANCY": "Water conservancy (水利).",
    "AGRICULTURAL_MACHINERY": "Agricultural machinery (农机).",
    "FISHING_VESSELS": "Fishing vessels (渔业船舶).",
    "RAILWAYS": "Railways (铁路).",
    "CIVIL_AVIATION": "Civil aviation (民航).",
    "ELECTRIC_POWER": "Electric power (电力).",
    "OIL_GAS_PIPELINES": "Oil and gas pipelines (油气管道).",
    "OTHER": "Any other sector.",
}

ACCIDENT_CLASSES = {
    "GENERAL": "General (一般): below every threshold of the classes above.",
    "LARGER": "Larger (较大): 3-9 deaths, 10-49 serious injuries or 10-50 million yuan.",
    "MAJOR": "Major (重大): 10-29 deaths, 50-99 serious injuries or 50-100 million yuan.",
    "ESPECIALLY_SERIOUS": "Especially serious (特别重大): 30 or more deaths, 100 or more serious "
    "injuries, or 100 million yuan or more.",
}

ACCIDENT_MEASURES = {
    "ACCIDENTS": "Accidents (每发生一起……扣N分).",
    "DEATHS": "Deaths (每死亡1人扣N分).",
    "LATE_REPORT_HOURS": "Whole hours reported late past the regulation's one hour, a part "
    "hour as one (每迟报1小时扣N分).",
}

REPORT_STATUSES = {
    "ON_TIME": "Reported in time.",
    "LATE": "Reported late (迟报).",
    "CONCEALED": "Concealed (瞒报); discoveredOn says when it came to light.",
}

HAZARD_STATES = {
    "OPEN": "Found, rectification not started.",
    "RECTIFYING": "Being rectified (整改中).",
    "RECTIFIED": "Rectified, waiting for the look-back.",
    "VERIFIED": "The look-back (复查) confirmed the rectification.",
    "CLOSED": "Closed (销号).",
}

HAZARD_SEVERITIES = {
    "GENERAL": "A general hazard (一般隐患).",
    "MAJOR": "A major hazard (重大隐患): may be listed for supervision.",
}

HAZARD_SOURCES = {
    "SELF_INSPECTION": "The unit's own inspection (自查).",
    "DEPARTMENT_INSPECTION": "A department's inspection (部门检查).",
    "SPOT_CHECK": "An unannounced spot check (暗查暗访, 四不两直).",
}

TASK_STATES = {
    "PENDING": "Not done yet.",
    "DONE": "Completed with evidence.",
}

SECTION_KINDS = {
    "TOPIC": "A special topic (专题): holds projects and task elements.",
    "PROJECT": "A special project (专项): holds task elements.",
}

STATEMENT_PARTIES = {
    "UNIT": "A unit directly below the issuing unit.",
    "ENTERPRISE": "An enterprise.",
}

STATEMENT_STATES = {
    "ISSUED": "Issued; waiting for the counterparty's signature.",
    "SIGNED": "Signed by the counterparty.",
}

# --- notifications and job runs --------------------------------------------------------------

NOTIFICATION_KINDS = {
    "SELF_ASSESSMENT_DUE": "The unit's self-assessment is due within three days.",
    "SELF_ASSESSMENT_OVERDUE": "The unit's self-assessment is past its deadline.",
    "REVIEW_DUE": "Assessments the unit reviews are due for review within three days.",
    "HAZARD_DUE": "A hazard's rectification deadline is within three days.",
    "HAZARD_OVERDUE": "A hazard went past its rectification deadline.",
    "TASK_DUE": "A task element's deadline is within three days.",
    "TASK_OVERDUE": "A task element went past its deadline.",
    "APPEAL_FILED": "A unit the reader's unit reviews appealed its points.",
    "APPEAL_DECIDED": "The unit's appeal was accepted or rejected.",
}

JOB_KINDS = {
    "FULL_RECOMPUTE": "Every open assessment re-scored, drift repaired, rankings published "
    "(nightly, or on demand).",
    "OVERDUE_SWEEP": "Overdue hazards and task elements flagged, units notified (hourly).",
    "DEADLINE_REMINDERS": "Reminders of deadlines coming up (each morning).",
    "REPORT": "A report printed and kept.",
}

JOB_STATES = {
    "QUEUED": "Waiting for a worker.",
    "RUNNING": "A worker is on it.",
    "SUCCEEDED": "Done.",
    "FAILED": "Stopped with an error; a retry runs it again.",
}

REPORT_KINDS = {
    "SCORECARD": "A unit's scorecard for a cycle.",
    "RANKING": "A region's ranking of a cycle at one level.",
    "STATISTICS": "A subtree's accidents and hazards for a period, year on year.",
    "CONSEQUENCES": "A cycle's consequences register (奖惩登记) for the units of a scope.",
}

REPORT_LANGUAGES = {"ZH": "Chinese (the default).", "EN": "English."}

CONSEQUENCES = {
    "COMMENDATION": "Commendation (通报表扬).",
    "CRITICISM": "Criticism (通报批评).",
    "INTERVIEW": "An interview of the unit's principal leaders (约谈).",
    "INELIGIBILITY": "The unit's principal leaders lose commendation and promotion "
    "eligibility (取消评优评先、提拔资格) for the period the template states.",
}

TRIGGERS = {
    "VETO": "A one-ticket veto (一票否决).",
    "YELLOW_CARD": "A yellow card (黄牌警告).",
    "UNQUALIFIED": "A total below the qualified threshold.",
    "OVERDUE_MAJOR_HAZARDS": "Listed major hazards past their rectification deadline.",
}

# By the GraphQL name of each enum core/enums.py registers.
VALUES: dict[str, Mapping[str, str]] = {
    "ErrorCode": ERROR_CODES,
    "TenantLevel": TENANT_LEVELS,
    "TenantKind": TENANT_KINDS,
    "Role": ROLES,
    "TemplateState": TEMPLATE_STATES,
    "TemplateItemKind": ITEM_KINDS,
    "ScoringMethod": METHODS,
    "ClauseKind": CLAUSE_KINDS,
    "ExplanationLanguage": EXPLANATION_LANGUAGES,
    "ClauseScope": CLAUSE_SCOPES,
    "VetoKind": VETO_KINDS,
    "RuleSeverity": RULE_SEVERITIES,
    "CycleState": CYCLE_STATES,
    "AssessmentState": ASSESSMENT_STATES,
    "AppealState": APPEAL_STATES,
    "Grade": GRADES,
    "ScoreState": SCORE_STATES,
    "MatrixColumns": MATRIX_COLUMNS,
    "MatrixSort": MATRIX_SORTS,
    "RelativeToAverage": RELATIVES,
    "Sector": SECTORS,
    "AccidentClass": ACCIDENT_CLASSES,
    "AccidentMeasure": ACCIDENT_MEASURES,
    "ReportStatus": REPORT_STATUSES,
    "HazardState": HAZARD_STATES,
    "HazardSeverity": HAZARD_SEVERITIES,
    "HazardSource": HAZARD_SOURCES,
    "TaskState": TASK_STATES,
    "PlanSectionKind": SECTION_KINDS,
    "StatementParty": STATEMENT_PARTIES,
    "StatementState": STATEMENT_STATES,
    "NotificationKind": NOTIFICATION_KINDS,
    "JobKind": JOB_KINDS,
    "JobState": JOB_STATES,
    "ReportKind": REPORT_KINDS,
    "ReportLanguage": REPORT_LANGUAGES,
    "Consequence": CONSEQUENCES,
    "ConsequenceTrigger": TRIGGERS,
}


def describe_domain_values(registered: Iterable[type[enum.Enum]]) -> None:
    """Describe the values of the enums ``enums`` registered, found by their GraphQL names; a
    table naming no registered enum is a mistake."""
    by_name = {cls.__strawberry_definition__.name: cls for cls in registered}  # type: ignore[attr-defined]
    unknown = set(VALUES) - set(by_name)
    if unknown:
        raise ValueError(f"no registered enum is named {', '.join(sorted(unknown))}")
    for name, descriptions in VALUES.items():
        describe_values(by_name[name], descriptions)
