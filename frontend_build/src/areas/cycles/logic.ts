// The cycles area's pure rules: form values into openCycle's input (times in China time), the
// levels a cycle may assess, which units are late, and what a ranking status amounts to.
import dayjs, { type Dayjs } from "dayjs";
import type {
  AssessmentGroupInput,
  AssessmentState,
  Grade,
  OpenCycleInput,
  SetAppealWindowInput,
  SetCycleGroupsInput,
  TenantLevel,
  TenantKind,
} from "../../gql/graphql";
import { ATTACHED_KINDS, kindsAt, LEVELS } from "../../kinds";

export type StateCount = { state: AssessmentState; count: number };
type RankingStatus = {
  pending: boolean;
  queued: boolean;
  lastError?: string | null;
  snapshotVersion?: number | null;
};

export const ASSESSMENT_STATES: AssessmentState[] = [
  "DRAFT",
  "SUBMITTED",
  "RETURNED",
  "RESUBMITTED",
  "REVIEWED",
  "FINAL",
];

/** The colour of each assessment state (tags and the stacked bar). */
export const STATE_COLORS: Record<AssessmentState, string> = {
  DRAFT: "#8c8c8c",
  SUBMITTED: "#1677ff",
  RETURNED: "#fa8c16",
  RESUBMITTED: "#13c2c2",
  REVIEWED: "#722ed1",
  FINAL: "#52c41a",
};

/** The levels a cycle the owner opens may assess: its own (the departments, affiliated units and
 * enterprises attached to it) and those below. */
export function levelsAssessed(ownerLevel: TenantLevel | null | undefined): TenantLevel[] {
  if (!ownerLevel) return [];
  return LEVELS.slice(LEVELS.indexOf(ownerLevel));
}

/** The kinds a cycle at `level` may be limited to: at the owner's own level only the units
 * attached to it, else every kind the level has. */
export function kindsAssessed(ownerLevel: TenantLevel | null | undefined, level: TenantLevel | null | undefined): TenantKind[] {
  if (!level) return [];
  return level === ownerLevel ? ATTACHED_KINDS : kindsAt(level);
}

/** A day as the API's Date ("2027-01-01"). */
export function toDate(value: Dayjs): string {
  return value.format("YYYY-MM-DD");
}

/** The wall-clock time picked, as a moment in China time ("2027-01-31T17:00:00+08:00"),
 * whatever the browser's own time zone. */
export function toChinaMoment(value: Dayjs): string {
  return `${value.format("YYYY-MM-DDTHH:mm")}:00+08:00`;
}

/** A moment from the API as the wall-clock time in China, for a picker (the reverse of toChinaMoment). */
export function fromChinaMoment(value: string): Dayjs {
  const china = new Date(Date.parse(value) + 8 * 3600 * 1000).toISOString().slice(0, 16);
  return dayjs(china);
}

export type OpenCycleValues = {
  ownerNodeId: string;
  templateId: string;
  name: string;
  level: TenantLevel;
  periodStart: Dayjs;
  periodEnd: Dayjs;
  selfDue: Dayjs;
  reviewDue: Dayjs;
  /** Only units of these kinds (none chosen: every kind). */
  kinds?: TenantKind[];
  /** Only these units (none chosen: every unit that qualifies). */
  unitIds?: string[];
  /** Until when reviewed units may appeal (none: the cycle takes no appeals for now). */
  appealDue?: Dayjs | null;
};

export function openCycleInput(values: OpenCycleValues): OpenCycleInput {
  return {
    ownerNodeId: values.ownerNodeId,
    templateId: values.templateId,
    name: values.name.trim(),
    level: values.level,
    periodStart: toDate(values.periodStart),
    periodEnd: toDate(values.periodEnd),
    selfDue: toChinaMoment(values.selfDue),
    reviewDue: toChinaMoment(values.reviewDue),
    kinds: values.kinds?.length ? values.kinds : null,
    unitIds: values.unitIds?.length ? values.unitIds : null,
    ...(values.appealDue ? { appealDue: toChinaMoment(values.appealDue) } : {}),
  };
}

/** setAppealWindow's input: the moment picked in China time, or none to close the window. */
export function appealWindowInput(cycleId: string, appealDue: Dayjs | null | undefined): SetAppealWindowInput {
  return { cycleId, appealDue: appealDue ? toChinaMoment(appealDue) : null };
}

type Grant = { role: string; node: { id: string } };

/** The server's rule for the appeal window: an admin of the cycle's owner (or a unit above it). */
export function isCycleAdmin(
  roles: readonly Grant[] | null | undefined,
  owner: { id: string; ancestors?: readonly { id: string }[] | null } | null | undefined,
): boolean {
  if (!roles || !owner) return false;
  const offices = new Set([owner.id, ...(owner.ancestors ?? []).map((a) => a.id)]);
  return roles.some((grant) => grant.role === "ADMIN" && offices.has(grant.node.id));
}

export type Lateness = "late" | "overdue" | null;

/** "late": submitted after the due time (the server's flag); "overdue": the due time has passed
 * and the unit has not handed it in (a draft, or returned to it and not resubmitted). */
export function lateness(
  assessment: { late: boolean; state: AssessmentState },
  selfDue: string,
  now: Date = new Date(),
): Lateness {
  if (assessment.late) return "late";
  const due = new Date(selfDue).getTime();
  const waiting = assessment.state === "DRAFT" || assessment.state === "RETURNED";
  return waiting && now.getTime() > due ? "overdue" : null;
}

/** How many units have not handed in their self-assessment although it is due. */
export function overdueCount(counts: readonly StateCount[], selfDue: string, now = new Date()): number {
  if (now.getTime() <= new Date(selfDue).getTime()) return 0;
  return counts
    .filter((c) => c.state === "DRAFT" || c.state === "RETURNED")
    .reduce((sum, c) => sum + c.count, 0);
}

export type Segment = { state: AssessmentState; count: number; share: number };

/** The non-empty states in workflow order, each with its share of the whole. */
export function segments(counts: readonly StateCount[]): { total: number; parts: Segment[] } {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const parts = ASSESSMENT_STATES.map((state) => {
    const count = counts.find((c) => c.state === state)?.count ?? 0;
    return { state, count, share: total ? count / total : 0 };
  }).filter((part) => part.count > 0);
  return { total, parts };
}

export type RankingKind = "never" | "failed" | "updating" | "current";

/** What a cycle's ranking status amounts to for a reader. */
export function rankingKind(
  status: Pick<RankingStatus, "pending" | "queued" | "lastError" | "snapshotVersion"> | null | undefined,
): RankingKind {
  if (!status) return "never";
  if (status.lastError) return "failed";
  if (status.pending || status.queued) return "updating";
  return status.snapshotVersion == null ? "never" : "current";
}

// --- assessment groups (分类考核) ----------------------------------------------------------

export type ThresholdField = "gradeExcellent" | "gradeGood" | "gradeQualified";

/** The threshold of each grade that has one, best first. */
export const THRESHOLD_FIELDS: { grade: Grade; field: ThresholdField }[] = [
  { grade: "EXCELLENT", field: "gradeExcellent" },
  { grade: "GOOD", field: "gradeGood" },
  { grade: "QUALIFIED", field: "gradeQualified" },
];

/** The thresholds a group may set: those of the grades its template has (best first). */
export function thresholdFields(levels: readonly { grade: Grade }[] | null | undefined): ThresholdField[] {
  const had = new Set((levels ?? []).map((l) => l.grade));
  return THRESHOLD_FIELDS.filter((t) => had.has(t.grade)).map((t) => t.field);
}

/** A group as the API gives it (thresholds as decimals, null when the template's). */
export type GroupLike = {
  code: string;
  name: string;
  gradeExcellent?: string | null;
  gradeGood?: string | null;
  gradeQualified?: string | null;
  commendationQuota?: number | null;
  units: readonly { id: string }[];
};

/** One group in the dialog: empty thresholds and quota keep the template's. */
export type GroupFormValue = {
  code?: string;
  name?: string;
  unitIds?: string[];
  gradeExcellent?: number | null;
  gradeGood?: number | null;
  gradeQualified?: number | null;
  commendationQuota?: number | null;
};

function decimalNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

/** The dialog's values for the groups a cycle has. */
export function groupFormValues(groups: readonly GroupLike[]): GroupFormValue[] {
  return groups.map((g) => ({
    code: g.code,
    name: g.name,
    unitIds: g.units.map((u) => u.id),
    gradeExcellent: decimalNumber(g.gradeExcellent),
    gradeGood: decimalNumber(g.gradeGood),
    gradeQualified: decimalNumber(g.gradeQualified),
    commendationQuota: g.commendationQuota ?? null,
  }));
}

const given = (value: number | null | undefined): value is number => value !== null && value !== undefined;

/** Whether a group sets thresholds of its own (any of those the template has). */
export function hasOwnThresholds(group: GroupFormValue | GroupLike, fields: readonly ThresholdField[]): boolean {
  return fields.some((field) => {
    const value = group[field];
    return value !== null && value !== undefined && value !== "";
  });
}

/** What is wrong with a group's own thresholds: some set and some not ("partial"), or one not
 * above the next ("order"); null when none is set or they are fine. */
export function thresholdProblem(
  group: GroupFormValue,
  fields: readonly ThresholdField[],
): "partial" | "order" | null {
  const values = fields.map((field) => group[field]);
  const set = values.filter(given);
  if (set.length === 0) return null;
  if (set.length < fields.length) return "partial";
  for (let i = 1; i < set.length; i++) if (!(set[i - 1] > set[i])) return "order";
  return null;
}

/** setCycleGroups' input from the dialog: names trimmed, only the thresholds the template has
 * (all null when the group keeps the template's), an empty quota as the template's. */
export function cycleGroupsInput(
  cycleId: string,
  groups: readonly GroupFormValue[],
  fields: readonly ThresholdField[],
): SetCycleGroupsInput {
  return {
    cycleId,
    groups: groups.map((g): AssessmentGroupInput => {
      const own = hasOwnThresholds(g, fields);
      const threshold = (field: ThresholdField) => {
        const value = g[field];
        return own && fields.includes(field) && given(value) ? String(value) : null;
      };
      return {
        code: (g.code ?? "").trim(),
        name: (g.name ?? "").trim(),
        unitIds: [...new Set(g.unitIds ?? [])],
        gradeExcellent: threshold("gradeExcellent"),
        gradeGood: threshold("gradeGood"),
        gradeQualified: threshold("gradeQualified"),
        commendationQuota: given(g.commendationQuota) ? g.commendationQuota : null,
      };
    }),
  };
}

/** The units another group of the dialog already holds (not offered to group `index`). */
export function unitsElsewhere(groups: readonly (GroupFormValue | undefined)[], index: number): Set<string> {
  const taken = new Set<string>();
  groups.forEach((g, i) => {
    if (i !== index) for (const id of g?.unitIds ?? []) taken.add(id);
  });
  return taken;
}

/** The cycle's units no group holds yet, in the order given. */
export function ungroupedUnits<U extends { id: string }>(
  units: readonly U[],
  groups: readonly (GroupFormValue | undefined)[],
): U[] {
  const taken = unitsElsewhere(groups, -1);
  return units.filter((u) => !taken.has(u.id));
}

/** How many results of the cycle are final (its groups are fixed once one is). */
export function finalCount(counts: readonly StateCount[]): number {
  return counts.find((c) => c.state === "FINAL")?.count ?? 0;
}

/** Words for the fields a setCycleGroups error may name (groups[1].code -> "第 2 组：编码"),
 * for the errors no input of the dialog shows. */
export function groupErrorLabels(
  count: number,
  t: (key: string, options?: Record<string, unknown>) => string,
): Record<string, string> {
  const labels: Record<string, string> = { groups: t("cycles.groups.fields.groups") };
  const fields = ["code", "name", "unitIds", ...THRESHOLD_FIELDS.map((f) => f.field), "commendationQuota"];
  for (let i = 0; i < count; i++) {
    labels[`groups[${i}]`] = t("cycles.groups.nth", { n: i + 1 });
    for (const field of fields) {
      labels[`groups[${i}].${field}`] = `${t("cycles.groups.nth", { n: i + 1 })}：${t(`cycles.groups.fields.${field}`)}`;
    }
  }
  return labels;
}
