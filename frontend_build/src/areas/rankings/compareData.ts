// Pure shaping of a comparison for its charts and table: categories as a tree (sub-categories
// under their category), and each unit's total and rank over the cycles.
import type { RankingComparisonQuery } from "../../gql/graphql";

export type Comparison = RankingComparisonQuery["compare"];

export type CategoryRow = {
  key: string;
  code: string;
  title: string;
  maxPoints: string | null;
  /** Points by unit id; absent when the unit has no figure for it. */
  points: Record<string, string>;
  children?: CategoryRow[];
};

function isChildOf(code: string, parent: string): boolean {
  return code.startsWith(`${parent}.`);
}

function topCode(code: string): string {
  return code.split(".")[0];
}

/** The categories of one cycle, unit by unit, as top-level rows with their sub-categories. */
export function categoryRows(comparison: Comparison, cycleId: string): CategoryRow[] {
  const rows = new Map<string, CategoryRow>();
  for (const unit of comparison.units) {
    const standing = unit.standings.find((s) => s.cycle.id === cycleId);
    for (const category of standing?.categories ?? []) {
      let row = rows.get(category.code);
      if (!row) {
        row = {
          key: category.code,
          code: category.code,
          title: category.title,
          maxPoints: category.maxPoints,
          points: {},
        };
        rows.set(category.code, row);
      }
      row.points[unit.tenant.id] = category.points;
    }
  }
  const all = [...rows.values()];
  const tops = all.filter((row) => !row.code.includes("."));
  for (const top of tops) {
    const children = all.filter((row) => isChildOf(row.code, top.code));
    if (children.length) top.children = children;
  }
  // A sub-category whose category is missing stays on its own.
  const orphans = all.filter((row) => row.code.includes(".") && !rows.has(topCode(row.code)));
  const byCode = (a: CategoryRow, b: CategoryRow) =>
    a.code.localeCompare(b.code, undefined, { numeric: true });
  return [...tops, ...orphans].sort(byCode);
}

export type CycleSeries = {
  cycles: { id: string; name: string }[];
  units: { id: string; totals: (number | null)[]; ranks: (number | null)[]; of: (number | null)[] }[];
};

/** Each unit's total and rank per cycle, cycles oldest first (null where not ranked). */
export function cycleSeries(comparison: Comparison): CycleSeries {
  const cycles = [...comparison.cycles].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
  return {
    cycles: cycles.map((c) => ({ id: c.id, name: c.name })),
    units: comparison.units.map((unit) => {
      const standing = (id: string) => unit.standings.find((s) => s.cycle.id === id);
      return {
        id: unit.tenant.id,
        totals: cycles.map((c) => {
          const total = standing(c.id)?.total;
          return total === null || total === undefined ? null : Number(total);
        }),
        ranks: cycles.map((c) => standing(c.id)?.rank ?? null),
        of: cycles.map((c) => standing(c.id)?.of ?? null),
      };
    }),
  };
}

/** The newest cycle in which any compared unit has category figures (the default for the category view). */
export function latestCycleWithFigures(comparison: Comparison): string | null {
  const cycles = [...comparison.cycles].sort((a, b) => b.periodStart.localeCompare(a.periodStart));
  const found = cycles.find((c) =>
    comparison.units.some((u) => u.standings.some((s) => s.cycle.id === c.id && s.categories.length > 0)),
  );
  return found?.id ?? cycles[0]?.id ?? null;
}
