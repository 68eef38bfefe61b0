// Pure rules of the rankings screens: levels, the default scope, rank movement, grade colours
// and the dashboard's and compare page's choices as a shareable query string.
import type { Grade, TenantLevel } from "../../gql/graphql";
import { depthOf, LEVELS } from "../../kinds";
export const GRADES: Grade[] = ["EXCELLENT", "GOOD", "QUALIFIED", "UNQUALIFIED"];
export const GRADE_COLORS: Record<Grade, string> = {
  EXCELLENT: "green",
  GOOD: "blue",
  QUALIFIED: "gold",
  UNQUALIFIED: "red",
};
/** Chart colours matching the tags. */
export const GRADE_CHART_COLORS: Record<Grade, string> = {
  EXCELLENT: "#52c41a",
  GOOD: "#1677ff",
  QUALIFIED: "#faad14",
  UNQUALIFIED: "#cf1322",
};

export const MAX_COMPARED_UNITS = 6;
export const MAX_COMPARED_CYCLES = 6;

/** The levels below `scopeLevel`, down to the cycle's level. */
export function levelsDownTo(scopeLevel: TenantLevel, cycleLevel: TenantLevel): TenantLevel[] {
  return LEVELS.filter((l) => depthOf(l) > depthOf(scopeLevel) && depthOf(l) <= depthOf(cycleLevel));
}

/** The levels a ranking within a region of `scopeLevel` can rank, down to the cycle's level; within
 * the owner of a cycle at its own level, that level (the departments and enterprises attached). */
export function rankableLevels(scopeLevel: TenantLevel, cycleLevel: TenantLevel): TenantLevel[] {
  return scopeLevel === cycleLevel ? [cycleLevel] : levelsDownTo(scopeLevel, cycleLevel);
}

/** The level of the regions one can drill into from a scope: one below it, if still above the cycle's level. */
export function drillLevel(scopeLevel: TenantLevel, cycleLevel: TenantLevel): TenantLevel | null {
  const next = LEVELS[depthOf(scopeLevel) + 1];
  return next && depthOf(next) < depthOf(cycleLevel) ? next : null;
}

type UnitLike = { id: string; level: TenantLevel };

/**
 * The region ranked by default: the user's own unit when it lies between the cycle's owner and
 * the cycle's level (a city office in a provincial county cycle), else the cycle's owner.
 */
export function defaultScope(
  cycle: { level: TenantLevel; owner?: UnitLike | null },
  userNode: UnitLike | null | undefined,
): string | null {
  const owner = cycle.owner ?? null;
  if (userNode && depthOf(userNode.level) < depthOf(cycle.level)) {
    if (!owner || depthOf(userNode.level) > depthOf(owner.level)) return userNode.id;
  }
  return owner?.id ?? userNode?.id ?? null;
}

/** Which way a unit moved since the previous cycle: none when unchanged or new. */
export function rankMove(
  rankChange: number | null | undefined,
): { direction: "up" | "down"; steps: number } | null {
  if (rankChange === null || rankChange === undefined || rankChange === 0) return null;
  return rankChange > 0 ? { direction: "up", steps: rankChange } : { direction: "down", steps: -rankChange };
}

function list(value: string | null): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function asLevel(value: string | null): TenantLevel | null {
  return LEVELS.includes(value as TenantLevel) ? (value as TenantLevel) : null;
}

export type CompareChoice = {
  cycles: string[];
  units: string[];
  scope: string | null;
  level: TenantLevel | null;
};

/** The compare page's choice from its query string (unknown values dropped, capped). */
export function parseCompare(search: URLSearchParams): CompareChoice {
  return {
    cycles: [...new Set(list(search.get("cycles")))].slice(0, MAX_COMPARED_CYCLES),
    units: [...new Set(list(search.get("units")))].slice(0, MAX_COMPARED_UNITS),
    scope: search.get("scope") || null,
    level: asLevel(search.get("level")),
  };
}

/** The query string of a compare choice, to share. */
export function compareSearch(choice: CompareChoice): string {
  const params = new URLSearchParams();
  if (choice.cycles.length) params.set("cycles", choice.cycles.join(","));
  if (choice.units.length) params.set("units", choice.units.join(","));
  if (choice.scope) params.set("scope", choice.scope);
  if (choice.level) params.set("level", choice.level);
  return params.toString();
}

export type DashboardChoice = { cycle: string | null; scope: string | null; level: TenantLevel | null };

export function parseDashboard(search: URLSearchParams): DashboardChoice {
  return {
    cycle: search.get("cycle") || null,
    scope: search.get("scope") || null,
    level: asLevel(search.get("level")),
  };
}

/** The group (分类考核) the dashboard's address asks for (group=towns); null: every group. */
export function parseGroup(search: URLSearchParams): string | null {
  return search.get("group") || null;
}

/** The group a ranking is narrowed to: one the cycle has, and only in a ranking of the cycle's
 * own level (the units grouped); null: every group. */
export function chosenGroup(
  wanted: string | null,
  groups: readonly { code: string }[] | null | undefined,
  level: TenantLevel | undefined,
  cycleLevel: TenantLevel | undefined,
): string | null {
  if (!wanted || !level || level !== cycleLevel) return null;
  return groups?.some((g) => g.code === wanted) ? wanted : null;
}

/** Whether the ranking's rows come in groups: any row ranked within a group. */
export function rankedInGroups(entries: readonly { groupCode?: string | null }[]): boolean {
  return entries.some((e) => Boolean(e.groupCode));
}

/** Whether a comparison can be asked for: 2-6 units and 1-6 cycles. */
export function canCompare(units: number, cycles: number): boolean {
  return units >= 2 && units <= MAX_COMPARED_UNITS && cycles >= 1 && cycles <= MAX_COMPARED_CYCLES;
}

type CycleLike = { id: string; level: TenantLevel; periodStart: string; owner?: { id: string } | null };

/**
 * The cycles a comparison opens with: the chosen one and the earlier cycles of the same level
 * and owner, oldest first, at most six.
 */
export function compareCycles(chosen: string, cycles: readonly CycleLike[]): string[] {
  const current = cycles.find((c) => c.id === chosen);
  if (!current) return [chosen];
  return cycles
    .filter(
      (c) =>
        c.level === current.level &&
        (c.owner?.id ?? null) === (current.owner?.id ?? null) &&
        c.periodStart <= current.periodStart,
    )
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart))
    .slice(-MAX_COMPARED_CYCLES)
    .map((c) => c.id);
}
