// Unit tests of shaping a comparison: the category tree and the series over cycles.
import { describe, expect, it } from "vitest";
import { type Comparison, categoryRows, cycleSeries, latestCycleWithFigures } from "./compareData";

const unit = (id: string) => ({ id, code: id, nameZh: id, nameEn: id, level: "COUNTY" as const });
const cat = (code: string, points: string, maxPoints = "20.00") => ({
  code,
  title: `T${code}`,
  points,
  maxPoints,
});
const standing = (
  cycle: string,
  total: string | null,
  rank: number | null,
  categories: ReturnType<typeof cat>[] = [],
) => ({
  cycle: { id: cycle },
  state: total ? ("FINAL" as const) : null,
  total,
  rank,
  of: rank ? 7 : null,
  grade: null,
  vetoed: false,
  categories,
});

const comparison: Comparison = {
  cycles: [
    { id: "c2", name: "2026", periodStart: "2026-01-01" },
    { id: "c1", name: "2025", periodStart: "2025-01-01" },
  ],
  units: [
    {
      tenant: unit("a"),
      standings: [
        standing("c1", "82.68", 2, [cat("1", "19.00")]),
        standing("c2", "95.04", 1, [
          cat("1", "20.00"),
          cat("3.1", "7.66", "8.00"),
          cat("3.2", "4.90", "7.00"),
          cat("3", "12.56", "15.00"),
          cat("10", "1.00"),
        ]),
      ],
    },
    {
      tenant: unit("b"),
      standings: [
        standing("c1", null, null),
        standing("c2", "89.53", 2, [cat("1", "19.00"), cat("3", "11.82", "15.00")]),
      ],
    },
  ],
};

describe("categoryRows", () => {
  it("puts sub-categories under their category, in code order, with each unit's points", () => {
    const rows = categoryRows(comparison, "c2");
    expect(rows.map((r) => r.code)).toEqual(["1", "3", "10"]);
    expect(rows[1].children?.map((r) => r.code)).toEqual(["3.1", "3.2"]);
    expect(rows[0].points).toEqual({ a: "20.00", b: "19.00" });
    expect(rows[1].points).toEqual({ a: "12.56", b: "11.82" });
    expect(rows[2].points).toEqual({ a: "1.00" });
  });
  it("is empty for a cycle without figures", () => {
    expect(categoryRows(comparison, "zz")).toEqual([]);
  });
});

describe("cycleSeries", () => {
  it("orders cycles oldest first with nulls where a unit was not ranked", () => {
    const series = cycleSeries(comparison);
    expect(series.cycles.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(series.units[0]).toEqual({ id: "a", totals: [82.68, 95.04], ranks: [2, 1], of: [7, 7] });
    expect(series.units[1].totals).toEqual([null, 89.53]);
    expect(series.units[1].ranks).toEqual([null, 2]);
  });
});

describe("latestCycleWithFigures", () => {
  it("is the newest cycle with any category figures", () => {
    expect(latestCycleWithFigures(comparison)).toBe("c2");
  });
});
