// Unit tests of the matrix's rules: its URL state both ways, the API variables, the Excel link,
// header sorting, band colours, missing vs not applicable, the drill level, the history rows.
import { describe, expect, it } from "vitest";
import { historyRows } from "./history";
import {
  BAND_LOOKS,
  bandOf,
  cellView,
  changeMatrix,
  clearFilters,
  hasFilters,
  headerOrder,
  MATRIX_DEFAULTS,
  type MatrixChoice,
  matrixExportUrl,
  matrixSearch,
  matrixVariables,
  MISSING_LOOK,
  nextDrillLevel,
  NOT_APPLICABLE_LOOK,
  parseMatrix,
  percentFraction,
  sortFromHeader,
  trendArrow,
} from "./matrix";

const base: MatrixChoice = { cycle: "c2", scope: "jx", level: "COUNTY", ...MATRIX_DEFAULTS };
const busy: MatrixChoice = {
  ...base,
  columns: "INDICATOR",
  category: "3",
  sort: "COLUMN",
  sortColumn: "3.1.1",
  descending: true,
  search: "南湖",
  bands: ["GREEN", "RED"],
  vetoed: false,
  relative: "BELOW",
  relativeColumn: "3.1.1",
};

describe("the matrix's query string", () => {
  it("leaves the defaults out", () => {
    expect(matrixSearch(base).toString()).toBe("cycle=c2&scope=jx&level=COUNTY");
    expect(parseMatrix(new URLSearchParams("cycle=c2&scope=jx&level=COUNTY"))).toEqual(base);
  });

  it("round-trips every choice", () => {
    const search = matrixSearch(busy);
    expect(Object.fromEntries(search)).toEqual({
      cycle: "c2",
      scope: "jx",
      level: "COUNTY",
      columns: "INDICATOR",
      category: "3",
      sort: "COLUMN",
      sortColumn: "3.1.1",
      descending: "1",
      search: "南湖",
      bands: "GREEN,RED",
      vetoed: "0",
      relative: "BELOW",
      relativeColumn: "3.1.1",
    });
    expect(parseMatrix(new URLSearchParams(search.toString()))).toEqual(busy);
  });

  it("drops what is unknown or means nothing alone", () => {
    const odd = parseMatrix(
      new URLSearchParams(
        "level=PLANET&columns=ROWS&category=3&sort=COLUMN&bands=RED,PINK,RED,GREEN&vetoed=maybe&relativeColumn=2&search=%20%20&descending=yes",
      ),
    );
    expect(odd).toEqual({
      cycle: null,
      scope: null,
      level: null,
      ...MATRIX_DEFAULTS,
      bands: ["GREEN", "RED"],
    });
    // A category is kept with indicator columns; a relative column only with a comparison.
    expect(parseMatrix(new URLSearchParams("columns=INDICATOR&category=3&relative=ABOVE")).category).toBe(
      "3",
    );
    expect(parseMatrix(new URLSearchParams("relative=SIDEWAYS&relativeColumn=2")).relativeColumn).toBeNull();
    expect(parseMatrix(new URLSearchParams("vetoed=1")).vetoed).toBe(true);
  });
});

describe("changing the choice", () => {
  it("keeps order and filters across a drill, a level or a search", () => {
    const drilled = changeMatrix(busy, { scope: "nanhu", level: "TOWNSHIP" });
    expect(drilled).toEqual({ ...busy, scope: "nanhu", level: "TOWNSHIP" });
  });

  it("starts another cycle in its own region, its template's columns forgotten", () => {
    const next = changeMatrix(busy, { cycle: "c3" });
    expect(next).toMatchObject({
      cycle: "c3",
      scope: null,
      level: null,
      category: null,
      sort: "RANK",
      sortColumn: null,
      descending: false,
      relativeColumn: null,
      search: "南湖",
      bands: ["GREEN", "RED"],
      relative: "BELOW",
      columns: "INDICATOR",
    });
    expect(changeMatrix({ ...base, sort: "NAME", descending: true }, { cycle: "c3" })).toMatchObject({
      sort: "NAME",
      descending: true,
    });
  });

  it("forgets column codes when the kind of columns changes", () => {
    expect(changeMatrix(busy, { columns: "CATEGORY" })).toMatchObject({
      columns: "CATEGORY",
      category: null,
      sort: "RANK",
      sortColumn: null,
      relativeColumn: null,
    });
  });

  it("clears the filters only", () => {
    expect(hasFilters(busy)).toBe(true);
    const cleared = clearFilters(busy);
    expect(hasFilters(cleared)).toBe(false);
    expect(cleared).toMatchObject({ sort: "COLUMN", sortColumn: "3.1.1", category: "3", scope: "jx" });
  });
});

describe("the API's variables", () => {
  it("asks for nothing extra by default", () => {
    expect(matrixVariables(base)).toEqual({
      columns: "CATEGORY",
      category: null,
      orderBy: null,
      filter: null,
    });
  });

  it("passes the order and every filter", () => {
    expect(matrixVariables(busy)).toEqual({
      columns: "INDICATOR",
      category: "3",
      orderBy: { by: "COLUMN", column: "3.1.1", descending: true },
      filter: {
        search: "南湖",
        bands: ["GREEN", "RED"],
        vetoed: false,
        relative: "BELOW",
        relativeColumn: "3.1.1",
      },
    });
    expect(matrixVariables({ ...base, sort: "NAME" }).orderBy).toEqual({ by: "NAME", descending: false });
    expect(matrixVariables({ ...base, relative: "ABOVE" }).filter).toEqual({ relative: "ABOVE" });
  });
});

describe("the Excel link", () => {
  const shown = { cycle: "Q3ljbGU6Mw==", scope: "VGVuYW50OjEw", level: "TOWNSHIP" as const };

  it("names the region, level and columns shown, defaults left out", () => {
    expect(matrixExportUrl(base, shown)).toBe(
      "/files/rankings/matrix.xlsx?cycle=Q3ljbGU6Mw%3D%3D&scope=VGVuYW50OjEw&level=TOWNSHIP&columns=CATEGORY",
    );
  });

  it("carries the order and the filters", () => {
    const url = new URL(matrixExportUrl(busy, shown), "http://x");
    expect(url.pathname).toBe("/files/rankings/matrix.xlsx");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cycle: "Q3ljbGU6Mw==",
      scope: "VGVuYW50OjEw",
      level: "TOWNSHIP",
      columns: "INDICATOR",
      category: "3",
      sort: "COLUMN",
      sortColumn: "3.1.1",
      descending: "1",
      search: "南湖",
      bands: "GREEN,RED",
      vetoed: "0",
      relative: "BELOW",
      relativeColumn: "3.1.1",
    });
    const vetoed = new URL(matrixExportUrl({ ...base, vetoed: true, relative: "ABOVE" }, shown), "http://x");
    expect(vetoed.searchParams.get("vetoed")).toBe("1");
    expect(vetoed.searchParams.get("relative")).toBe("ABOVE");
    expect(vetoed.searchParams.has("relativeColumn")).toBe(false);
  });
});

describe("header sorting", () => {
  it("turns a header click into the server's order and back", () => {
    const column = { by: "COLUMN" as const, column: "2" };
    const asked = sortFromHeader(column, "descend");
    expect(asked).toEqual({ sort: "COLUMN", sortColumn: "2", descending: true });
    const sorted = { ...base, ...asked };
    expect(headerOrder(sorted, column)).toBe("descend");
    expect(headerOrder(sorted, { by: "COLUMN", column: "3" })).toBeNull();
    expect(headerOrder(sorted, { by: "RANK" })).toBeNull();
    expect(sortFromHeader({ by: "NAME" }, "ascend")).toEqual({
      sort: "NAME",
      sortColumn: null,
      descending: false,
    });
  });

  it("goes back to the rank order when the sort is cancelled", () => {
    expect(sortFromHeader({ by: "COLUMN", column: "2" }, null)).toEqual({
      sort: "RANK",
      sortColumn: null,
      descending: false,
    });
    expect(headerOrder(base, { by: "RANK" })).toBe("ascend");
  });
});

describe("bands and cells", () => {
  const thresholds = { green: "90.00", yellow: "60.00" };

  it("bands a percent as the server does: green and yellow from their thresholds", () => {
    expect(bandOf("90.00", thresholds)).toBe("GREEN");
    expect(bandOf(104, thresholds)).toBe("GREEN");
    expect(bandOf("89.99", thresholds)).toBe("YELLOW");
    expect(bandOf("60", thresholds)).toBe("YELLOW");
    expect(bandOf("0.00", thresholds)).toBe("RED");
    expect(bandOf(null, thresholds)).toBeNull();
    expect(bandOf("", thresholds)).toBeNull();
  });

  it("gives each band a light background and dark text of its own", () => {
    expect(BAND_LOOKS.GREEN).toEqual({ background: "#d9f7be", color: "#135200" });
    expect(BAND_LOOKS.YELLOW).toEqual({ background: "#fff1b8", color: "#613400" });
    expect(BAND_LOOKS.RED).toEqual({ background: "#ffccc7", color: "#820014" });
    expect(new Set(Object.values(BAND_LOOKS).map((l) => l.background)).size).toBe(3);
  });

  it("reads a scored cell by its band, a missing one as missing (never 0), N/A in grey", () => {
    expect(cellView({ state: "SCORED", band: "RED", percentOfMax: "0.00" })).toEqual({
      kind: "scored",
      look: BAND_LOOKS.RED,
    });
    expect(cellView({ state: "SCORED", band: null, percentOfMax: "50.00" })).toEqual({
      kind: "scored",
      look: null,
    });
    expect(cellView({ state: "MISSING", band: null, percentOfMax: null })).toEqual({
      kind: "missing",
      look: MISSING_LOOK,
    });
    expect(cellView(undefined).kind).toBe("missing");
    expect(cellView({ state: "NOT_APPLICABLE" })).toEqual({
      kind: "notApplicable",
      look: NOT_APPLICABLE_LOOK,
    });
  });

  it("turns the API's percents into fractions to format", () => {
    expect(percentFraction("87.50")).toBe(0.875);
    expect(percentFraction(null)).toBeNull();
    expect(percentFraction("n/a")).toBeNull();
  });

  it("draws an arrow only for a trend the server judged big enough", () => {
    expect(trendArrow("UP")).toBe("up");
    expect(trendArrow("DOWN")).toBe("down");
    expect(trendArrow("STEADY")).toBeNull();
    expect(trendArrow("NEW")).toBeNull();
    expect(trendArrow(null)).toBeNull();
  });
});

describe("nextDrillLevel", () => {
  it("opens a region to the level below it while the cycle ranks that deep", () => {
    expect(nextDrillLevel("PROVINCE", "TOWNSHIP")).toBe("CITY");
    expect(nextDrillLevel("CITY", "TOWNSHIP")).toBe("COUNTY");
    expect(nextDrillLevel("COUNTY", "TOWNSHIP")).toBe("TOWNSHIP");
    expect(nextDrillLevel("CITY", "COUNTY")).toBe("COUNTY");
  });
  it("opens nothing at or below the cycle's level", () => {
    expect(nextDrillLevel("COUNTY", "COUNTY")).toBeNull();
    expect(nextDrillLevel("TOWNSHIP", "TOWNSHIP")).toBeNull();
  });
});

describe("historyRows", () => {
  it("gives every grade and band a count per published cycle, nothing for an unpublished one", () => {
    const rows = historyRows([
      {
        cycle: { id: "c1", name: "2025", periodStart: "2025-01-01" },
        aggregate: {
          assessed: 13,
          ranked: 7,
          mean: "79.73",
          vetoCount: 0,
          gradeCounts: [
            { grade: "GOOD", count: 3 },
            { grade: "QUALIFIED", count: 4 },
          ],
          bandCounts: [
            { band: "GREEN", count: 0 },
            { band: "YELLOW", count: 7 },
          ],
        },
      },
      { cycle: { id: "c2", name: "2026", periodStart: "2026-01-01" }, aggregate: null },
    ]);
    expect(rows[0]).toEqual({
      cycleId: "c1",
      name: "2025",
      published: true,
      ranked: 7,
      assessed: 13,
      mean: "79.73",
      vetoCount: 0,
      grades: { EXCELLENT: 0, GOOD: 3, QUALIFIED: 4, UNQUALIFIED: 0 },
      bands: { GREEN: 0, YELLOW: 7, RED: 0 },
    });
    expect(rows[1]).toMatchObject({
      published: false,
      vetoCount: null,
      grades: { EXCELLENT: null, GOOD: null, QUALIFIED: null, UNQUALIFIED: null },
      bands: { GREEN: null, YELLOW: null, RED: null },
    });
  });
});
