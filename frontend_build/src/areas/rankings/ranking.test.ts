// Unit tests of the rankings rules: levels, default scope, movement, the URL choices, cycles to compare.
import { describe, expect, it } from "vitest";
import {
  canCompare,
  compareCycles,
  compareSearch,
  defaultScope,
  drillLevel,
  parseCompare,
  chosenGroup,
  parseDashboard,
  parseGroup,
  rankableLevels,
  rankedInGroups,
  rankMove,
} from "./ranking";

describe("rankMove", () => {
  it("is up and green for a positive change, down for a negative one", () => {
    expect(rankMove(4)).toEqual({ direction: "up", steps: 4 });
    expect(rankMove(-2)).toEqual({ direction: "down", steps: 2 });
  });
  it("is nothing when unchanged or new", () => {
    expect(rankMove(0)).toBeNull();
    expect(rankMove(null)).toBeNull();
    expect(rankMove(undefined)).toBeNull();
  });
});

describe("levels", () => {
  it("ranks the levels below the scope down to the cycle's", () => {
    expect(rankableLevels("PROVINCE", "COUNTY")).toEqual(["CITY", "COUNTY"]);
    expect(rankableLevels("CITY", "TOWNSHIP")).toEqual(["COUNTY", "TOWNSHIP"]);
    // Within the owner of a cycle at its own level: its departments and enterprises.
    expect(rankableLevels("COUNTY", "COUNTY")).toEqual(["COUNTY"]);
  });
  it("drills only into regions still above the cycle's level", () => {
    expect(drillLevel("PROVINCE", "COUNTY")).toBe("CITY");
    expect(drillLevel("CITY", "COUNTY")).toBeNull();
    expect(drillLevel("CITY", "TOWNSHIP")).toBe("COUNTY");
    expect(drillLevel("COUNTY", "TOWNSHIP")).toBeNull();
  });
});

describe("defaultScope", () => {
  const cycle = { level: "COUNTY" as const, owner: { id: "zj", level: "PROVINCE" as const } };
  it("is the owner for a user at or above it", () => {
    expect(defaultScope(cycle, { id: "zj", level: "PROVINCE" })).toBe("zj");
    expect(
      defaultScope(
        { level: "TOWNSHIP", owner: { id: "jx", level: "CITY" } },
        { id: "zj", level: "PROVINCE" },
      ),
    ).toBe("jx");
  });
  it("is the user's unit when it lies between the owner and the ranked level", () => {
    expect(defaultScope(cycle, { id: "jx", level: "CITY" })).toBe("jx");
  });
  it("is the owner for a unit of the ranked level (it reads its siblings' ranking above)", () => {
    expect(defaultScope(cycle, { id: "nanhu", level: "COUNTY" })).toBe("zj");
  });
  it("falls back to the user's unit when the owner is out of sight", () => {
    expect(defaultScope({ level: "COUNTY", owner: null }, { id: "jx", level: "CITY" })).toBe("jx");
  });
});

describe("the query strings", () => {
  it("round-trips a comparison and drops what is not valid", () => {
    const search = compareSearch({ cycles: ["c1", "c2"], units: ["u1", "u2"], scope: "zj", level: "COUNTY" });
    expect(search).toBe("cycles=c1%2Cc2&units=u1%2Cu2&scope=zj&level=COUNTY");
    expect(parseCompare(new URLSearchParams(search))).toEqual({
      cycles: ["c1", "c2"],
      units: ["u1", "u2"],
      scope: "zj",
      level: "COUNTY",
    });
    const odd = parseCompare(new URLSearchParams("units=a,a,b,,c,d,e,f,g&level=PLANET"));
    expect(odd.units).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(odd.level).toBeNull();
    expect(odd.cycles).toEqual([]);
  });
  it("reads the dashboard's choice", () => {
    expect(parseDashboard(new URLSearchParams("cycle=c2&level=CITY"))).toEqual({
      cycle: "c2",
      scope: null,
      level: "CITY",
    });
    expect(parseGroup(new URLSearchParams("cycle=c2&group=towns"))).toBe("towns");
    expect(parseGroup(new URLSearchParams("cycle=c2&group="))).toBeNull();
  });
  it("narrows to a group the cycle has, in a ranking of the cycle's own level", () => {
    const groups = [{ code: "streets" }, { code: "towns" }];
    expect(chosenGroup("towns", groups, "TOWNSHIP", "TOWNSHIP")).toBe("towns");
    expect(chosenGroup("towns", groups, "COUNTY", "TOWNSHIP")).toBeNull();
    expect(chosenGroup("gone", groups, "TOWNSHIP", "TOWNSHIP")).toBeNull();
    expect(chosenGroup("towns", [], "TOWNSHIP", "TOWNSHIP")).toBeNull();
    expect(chosenGroup(null, groups, "TOWNSHIP", "TOWNSHIP")).toBeNull();
  });
  it("sees rows ranked in groups", () => {
    expect(rankedInGroups([{ groupCode: null }, { groupCode: "towns" }])).toBe(true);
    expect(rankedInGroups([{ groupCode: null }])).toBe(false);
    expect(rankedInGroups([])).toBe(false);
  });
  it("needs 2-6 units and 1-6 cycles to compare", () => {
    expect(canCompare(1, 1)).toBe(false);
    expect(canCompare(2, 0)).toBe(false);
    expect(canCompare(2, 1)).toBe(true);
    expect(canCompare(6, 6)).toBe(true);
    expect(canCompare(7, 1)).toBe(false);
  });
});

describe("compareCycles", () => {
  const cycles = [
    { id: "c1", level: "COUNTY" as const, periodStart: "2025-01-01", owner: { id: "zj" } },
    { id: "c2", level: "COUNTY" as const, periodStart: "2026-01-01", owner: { id: "zj" } },
    { id: "c3", level: "TOWNSHIP" as const, periodStart: "2026-01-01", owner: { id: "jx" } },
    { id: "c4", level: "COUNTY" as const, periodStart: "2027-01-01", owner: { id: "zj" } },
  ];
  it("takes the chosen cycle and the earlier ones of its level and owner, oldest first", () => {
    expect(compareCycles("c2", cycles)).toEqual(["c1", "c2"]);
    expect(compareCycles("c3", cycles)).toEqual(["c3"]);
    expect(compareCycles("c4", cycles)).toEqual(["c1", "c2", "c4"]);
  });
  it("keeps an unknown cycle as it is", () => {
    expect(compareCycles("zz", cycles)).toEqual(["zz"]);
  });
});
