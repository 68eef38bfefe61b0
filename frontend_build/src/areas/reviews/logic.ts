// The reviews area's pure logic: who may review or finalise, the indicator tree with self and
// reviewed points side by side, gaps, review statuses and the mutation inputs the forms make.
import type {
  AssessmentState,
  DecideAppealInput,
  ReviewAssessmentQuery,
  ReviewInput,
  Role,
} from "../../gql/graphql";

export type AssessmentNode = Extract<
  NonNullable<ReviewAssessmentQuery["node"]>,
  { entries: unknown }
>;
export type EntryRow = AssessmentNode["entries"][number];
type Category = AssessmentNode["cycle"]["template"]["categories"][number];
type CategoryLike = Pick<Category, "code" | "title" | "maxPoints" | "bonus" | "indicators"> & {
  categories?: CategoryLike[];
};

export const UNDER_REVIEW: AssessmentState[] = ["SUBMITTED", "RESUBMITTED"];

type Grant = { role: Role; node: { id: string } };
type UnitWithAncestors = { id: string; ancestors: { id: string }[] };

/** The server's rule: an assessor on the unit above (or higher), never of the unit itself. */
export function canReview(
  user: { node: { id: string }; roles: Grant[] } | null,
  unit: UnitWithAncestors,
): boolean {
  if (!user || user.node.id === unit.id) return false;
  if (user.roles.some((g) => g.role === "SUBMITTER" && g.node.id === unit.id)) return false;
  const above = new Set(unit.ancestors.map((a) => a.id));
  return user.roles.some((g) => g.role === "ASSESSOR" && above.has(g.node.id));
}

/** Finalising is for the office that opened the cycle (assessor or admin there, or above). */
export function canFinalise(
  user: { roles: Grant[] } | null,
  owner: UnitWithAncestors | null | undefined,
): boolean {
  if (!user || !owner) return false;
  const offices = new Set([owner.id, ...owner.ancestors.map((a) => a.id)]);
  return user.roles.some(
    (g) => (g.role === "ASSESSOR" || g.role === "ADMIN") && offices.has(g.node.id),
  );
}

/** Decimal strings subtracted exactly to the cent ("88.50" - "90.25" = "-1.75"). */
export function gapOf(
  self: string | null | undefined,
  reviewed: string | null | undefined,
): string | null {
  if (self == null || reviewed == null || self === "" || reviewed === "") return null;
  const cents = Math.round(Number(reviewed) * 100) - Math.round(Number(self) * 100);
  if (Number.isNaN(cents)) return null;
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export type ReviewStatus = "pending" | "confirmed" | "adjusted" | "naAccepted" | "naRefused";

export function reviewStatus(entry: Pick<
  EntryRow,
  "reviewed" | "reviewPoints" | "notApplicable" | "notApplicableConfirmed"
>): ReviewStatus {
  if (!entry.reviewed) return "pending";
  if (entry.reviewPoints != null) return "adjusted";
  if (entry.notApplicable) return entry.notApplicableConfirmed === false ? "naRefused" : "naAccepted";
  return "confirmed";
}

export type TreeRow = {
  key: string;
  kind: "category" | "indicator";
  code: string;
  title: string;
  maxPoints: string;
  selfPoints: string | null;
  reviewedPoints: string | null;
  gap: string | null;
  bonus: boolean;
  entry?: EntryRow;
  children?: TreeRow[];
};

type CategoryPoints = { code: string; points: string }[] | undefined;

/** The template's categories with each indicator's entry under it, in template order. */
export function buildTree(
  categories: CategoryLike[],
  entries: EntryRow[],
  selfCategories: CategoryPoints,
  reviewedCategories: CategoryPoints,
): TreeRow[] {
  const byCode = new Map(entries.map((e) => [e.indicator.code, e]));
  const selfBy = new Map((selfCategories ?? []).map((c) => [c.code, c.points]));
  const reviewedBy = new Map((reviewedCategories ?? []).map((c) => [c.code, c.points]));
  const placed = new Set<string>();

  function indicatorRow(entry: EntryRow): TreeRow {
    placed.add(entry.indicator.code);
    const self = entry.selfScore?.points ?? null;
    const reviewed = entry.reviewedScore?.points ?? null;
    return {
      key: `i:${entry.indicator.code}`,
      kind: "indicator",
      code: entry.indicator.code,
      title: entry.indicator.title,
      maxPoints: entry.indicator.maxPoints,
      selfPoints: self,
      reviewedPoints: reviewed,
      gap: gapOf(self, reviewed),
      bonus: false,
      entry,
    };
  }

  function categoryRow(category: CategoryLike, bonus: boolean): TreeRow {
    const isBonus = bonus || category.bonus;
    const children: TreeRow[] = [
      ...category.indicators.flatMap((i) => {
        const entry = byCode.get(i.code);
        return entry ? [{ ...indicatorRow(entry), bonus: isBonus }] : [];
      }),
      ...(category.categories ?? []).map((c) => categoryRow(c, isBonus)),
    ];
    const self = selfBy.get(category.code) ?? null;
    const reviewed = reviewedBy.get(category.code) ?? null;
    return {
      key: `c:${category.code}`,
      kind: "category",
      code: category.code,
      title: category.title,
      maxPoints: category.maxPoints,
      selfPoints: self,
      reviewedPoints: reviewed,
      gap: gapOf(self, reviewed),
      bonus: isBonus,
      children: children.length ? children : undefined,
    };
  }

  const rows = categories.map((c) => categoryRow(c, false));
  // An entry the tree does not hold (it should not happen) still shows, at the end.
  const rest = entries.filter((e) => !placed.has(e.indicator.code)).map(indicatorRow);
  return [...rows, ...rest];
}

/** Every category key, to open the whole tree. */
export function categoryKeys(rows: TreeRow[]): string[] {
  return rows.flatMap((r) =>
    r.kind === "category" ? [r.key, ...categoryKeys(r.children ?? [])] : [],
  );
}

export type AdjustValues = {
  decision: "confirm" | "adjust";
  points?: string | number | null;
  reason?: string | null;
  naAccepted?: boolean;
};

/** The reviewer's word on one indicator as the API takes it. */
export function reviewInputOf(
  itemCode: string,
  values: AdjustValues,
  claimedNotApplicable: boolean,
): ReviewInput {
  const reason = values.reason?.trim() ? values.reason.trim() : null;
  if (claimedNotApplicable && values.naAccepted) {
    return { itemCode, notApplicableConfirmed: true, reason };
  }
  if (values.decision === "adjust") {
    const points =
      values.points === null || values.points === undefined || values.points === ""
        ? null
        : String(values.points).trim();
    return {
      itemCode,
      confirm: false,
      points,
      reason,
      ...(claimedNotApplicable ? { notApplicableConfirmed: false } : {}),
    };
  }
  return {
    itemCode,
    reason,
    ...(claimedNotApplicable ? { notApplicableConfirmed: false } : {}),
  };
}

/** The form's starting values for an entry: as it was last reviewed, else a plain confirm. */
export function adjustDefaults(entry: EntryRow): AdjustValues {
  return {
    decision: entry.reviewPoints != null ? "adjust" : "confirm",
    points: entry.reviewPoints ?? entry.selfScore?.points ?? null,
    reason: entry.reviewReason ?? "",
    naAccepted: entry.notApplicable ? entry.notApplicableConfirmed !== false : undefined,
  };
}

/** "Confirm the rest": every indicator not reviewed yet, confirmed as entered. */
export function confirmRestInputs(entries: EntryRow[]): ReviewInput[] {
  return entries.filter((e) => !e.reviewed).map((e) => ({ itemCode: e.indicator.code }));
}

/** What the unit entered for an indicator, as short parts to translate. */
export function selfInputParts(
  entry: Pick<EntryRow, "value" | "done" | "points" | "counts" | "notApplicable" | "notApplicableReason"> & {
    indicator: Pick<EntryRow["indicator"], "method">;
  },
): { key: string; values?: Record<string, string> }[] {
  if (entry.notApplicable) {
    return [{ key: "input.notApplicable", values: { reason: entry.notApplicableReason ?? "" } }];
  }
  switch (entry.indicator.method) {
    case "BOOLEAN":
      if (entry.done == null) return [{ key: "input.missing" }];
      return [{ key: entry.done ? "input.done" : "input.notDone" }];
    case "RATIO":
    case "TIERS":
      if (entry.value == null) return [{ key: "input.missing" }];
      return [{ key: "input.value", values: { value: entry.value } }];
    case "MANUAL":
    case "BONUS":
      if (entry.points == null) return [{ key: "input.missing" }];
      return [{ key: "input.points", values: { points: entry.points } }];
    case "DEDUCTION": {
      const counted = entry.counts.filter((c) => c.count > 0);
      if (counted.length === 0) return [{ key: "input.noCounts" }];
      return [
        {
          key: "input.counts",
          values: { counts: counted.map((c) => `${c.key}×${c.count}`).join(", ") },
        },
      ];
    }
    default:
      return [];
  }
}

/** The query's node when it is an assessment (node(id:) may answer another type or nothing). */
export function isAssessment(node: ReviewAssessmentQuery["node"] | undefined): node is AssessmentNode {
  return !!node && "entries" in node;
}

export type AppealRow = AssessmentNode["appeals"][number];

export type DecideValues = { points?: string | number | null; reason?: string | null };

/** The assessor's decision on an appeal as decideAppeal takes it: points only to accept. */
export function decideAppealInput(appealId: string, accept: boolean, values: DecideValues): DecideAppealInput {
  const reason = (values.reason ?? "").trim();
  if (!accept) return { appealId, accept, reason, points: null };
  const raw = values.points;
  const points = raw === null || raw === undefined || String(raw).trim() === "" ? null : String(raw).trim();
  return { appealId, accept, reason, points };
}

/** The decision form's starting values: accepting starts from the points appealed. */
export function decideDefaults(appeal: Pick<AppealRow, "pointsBefore">, accept: boolean): DecideValues {
  return accept ? { points: appeal.pointsBefore ?? null, reason: "" } : { reason: "" };
}

/** Whether the reviewer decides this appeal now: it waits, and the assessment is reviewed. */
export function canDecide(reviewer: boolean, state: AssessmentState, appeal: Pick<AppealRow, "state">): boolean {
  return reviewer && state === "REVIEWED" && appeal.state === "OPEN";
}

/** How many appeals wait for a decision. */
export function waitingAppeals(appeals: readonly Pick<AppealRow, "state">[]): number {
  return appeals.filter((a) => a.state === "OPEN").length;
}

/** The last day a final result of a period ending `periodEnd` ("2025-12-31") may take a late
 * veto, `years` after it (as the server counts: a 29 February falls back to the 28th); null
 * when the template lets no final result be reopened (0 years). */
export function retroactiveUntil(periodEnd: string, years: number): string | null {
  if (years <= 0) return null;
  const [y, m, d] = periodEnd.split("-").map(Number);
  const year = y + years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(m)}-${pad(Math.min(d, last))}`;
}

/** Today in China ("2026-12-04"), the day the server checks a late veto's deadline by. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
}
