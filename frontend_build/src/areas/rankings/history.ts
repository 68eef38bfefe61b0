// A region's figures over cycles, flattened for the history chart and table: per cycle its grade
// and band counts (every grade and band, zero when none), vetoes and mean; null when unpublished.
import type { Band, Grade, RankingHistoryQuery } from "../../gql/graphql";
import { BANDS } from "./matrix";
import { GRADES } from "./ranking";

export type HistoryPoint = RankingHistoryQuery["rankingHistory"][number];

export type HistoryRow = {
  cycleId: string;
  name: string;
  published: boolean;
  ranked: number | null;
  assessed: number | null;
  mean: string | null;
  vetoCount: number | null;
  grades: Record<Grade, number | null>;
  bands: Record<Band, number | null>;
};

export function historyRows(points: readonly HistoryPoint[]): HistoryRow[] {
  return points.map(({ cycle, aggregate }) => {
    const grade = (g: Grade) =>
      aggregate ? (aggregate.gradeCounts.find((c) => c.grade === g)?.count ?? 0) : null;
    const band = (b: Band) =>
      aggregate ? (aggregate.bandCounts.find((c) => c.band === b)?.count ?? 0) : null;
    return {
      cycleId: cycle.id,
      name: cycle.name,
      published: !!aggregate,
      ranked: aggregate?.ranked ?? null,
      assessed: aggregate?.assessed ?? null,
      mean: aggregate?.mean ?? null,
      vetoCount: aggregate?.vetoCount ?? null,
      grades: Object.fromEntries(GRADES.map((g) => [g, grade(g)])) as Record<Grade, number | null>,
      bands: Object.fromEntries(BANDS.map((b) => [b, band(b)])) as Record<Band, number | null>,
    };
  });
}
