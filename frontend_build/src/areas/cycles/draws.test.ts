import { describe, expect, it } from "vitest";
import { drawInput, drawScopes, plainWeight, weighsMore } from "./draws";

const unit = (id: string, code: string) => ({ id, code, nameZh: code, nameEn: code });
const jiaxing = { ...unit("T2", "330400"), ancestors: [{ id: "T1" }] };

describe("drawScopes", () => {
  it("draws under the owner for a grant on it or above, under the grant's unit below it", () => {
    const roles = [
      { role: "ASSESSOR" as const, node: unit("T1", "330000") },
      { role: "ASSESSOR" as const, node: unit("T3", "330402") },
      { role: "SUBMITTER" as const, node: unit("T4", "330402901") },
      { role: "ASSESSOR" as const, node: unit("T2", "330400") },
    ];
    expect(drawScopes(roles, jiaxing).map((u) => u.code)).toEqual(["330400", "330402"]);
  });
  it("gives nothing without an assessor grant", () => {
    expect(drawScopes([{ role: "ADMIN", node: unit("T2", "330400") }], jiaxing)).toEqual([]);
    expect(drawScopes(null, jiaxing)).toEqual([]);
  });
});

describe("drawInput", () => {
  it("leaves a blank seed to the server and sends strata with a kind", () => {
    expect(
      drawInput("C1", {
        mode: "strata",
        seed: "  ",
        strata: [{ kind: "STREET", count: 3 }, { count: 2 }, null, { kind: "TOWN" }],
        inspectorIds: ["U1", "U2"],
        inspectorsPerTarget: 2,
        criticisedWeight: 3,
        scopeId: "T3",
      }),
    ).toEqual({
      cycleId: "C1",
      scopeId: "T3",
      strata: [
        { kind: "STREET", count: 3 },
        { kind: "TOWN", count: 0 },
      ],
      inspectorIds: ["U1", "U2"],
      inspectorsPerTarget: 2,
      criticisedWeight: "3",
    });
  });
  it("sends a number of units of every kind, the trimmed seed and the default weight", () => {
    expect(drawInput("C1", { mode: "total", targetCount: 4, seed: " 第一批 ", inspectorIds: ["U1"] })).toEqual({
      cycleId: "C1",
      seed: "第一批",
      targetCount: 4,
      inspectorIds: ["U1"],
      inspectorsPerTarget: 1,
      criticisedWeight: "2",
    });
  });
});

describe("weights", () => {
  it("are shown plain and flagged when criticised", () => {
    expect([plainWeight("2.00"), plainWeight("1.50"), plainWeight("10")]).toEqual(["2", "1.5", "10"]);
    expect(weighsMore({ weight: "2.00", criticisedIn: "2025年度" })).toBe(true);
    expect(weighsMore({ weight: "1.00", criticisedIn: null })).toBe(false);
  });
});
