// The cycles area's rules: openCycle's input, levels, lateness, state shares, ranking status.
import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import { appealWindowInput, fromChinaMoment, isCycleAdmin, kindsAssessed, lateness, levelsAssessed, openCycleInput, overdueCount, rankingKind, segments, toChinaMoment } from "./logic";

describe("openCycleInput", () => {
  it("sends days as dates and dues as China time, the name trimmed", () => {
    expect(
      openCycleInput({
        ownerNodeId: "T1",
        templateId: "P2",
        name: "  2027年度考核 ",
        level: "COUNTY",
        periodStart: dayjs("2027-01-01"),
        periodEnd: dayjs("2027-06-30"),
        selfDue: dayjs("2027-07-15T17:30"),
        reviewDue: dayjs("2027-08-01T09:00"),
      }),
    ).toEqual({
      ownerNodeId: "T1",
      templateId: "P2",
      name: "2027年度考核",
      level: "COUNTY",
      periodStart: "2027-01-01",
      periodEnd: "2027-06-30",
      selfDue: "2027-07-15T17:30:00+08:00",
      reviewDue: "2027-08-01T09:00:00+08:00",
      kinds: null, // every kind
      unitIds: null, // every unit that qualifies
    });
  });

  it("sends the kinds and units chosen, and none as every one", () => {
    const base = {
      ownerNodeId: "T1",
      templateId: "P2",
      name: "只考核街道",
      level: "TOWNSHIP" as const,
      periodStart: dayjs("2027-01-01"),
      periodEnd: dayjs("2027-06-30"),
      selfDue: dayjs("2027-07-15T17:30"),
      reviewDue: dayjs("2027-08-01T09:00"),
    };
    const chosen = openCycleInput({ ...base, kinds: ["STREET"], unitIds: ["T7", "T8"] });
    expect([chosen.kinds, chosen.unitIds]).toEqual([["STREET"], ["T7", "T8"]]);
    const none = openCycleInput({ ...base, kinds: [], unitIds: [] });
    expect([none.kinds, none.unitIds]).toEqual([null, null]);
  });

  it("keeps the wall-clock time picked whatever the seconds", () => {
    expect(toChinaMoment(dayjs("2027-01-31T23:59:45"))).toBe("2027-01-31T23:59:00+08:00");
  });
});

describe("levelsAssessed", () => {
  it("offers the owner's own level (its attached units) and the levels below", () => {
    expect(levelsAssessed("PROVINCE")).toEqual(["PROVINCE", "CITY", "COUNTY", "TOWNSHIP"]);
    expect(levelsAssessed("COUNTY")).toEqual(["COUNTY", "TOWNSHIP"]);
    expect(levelsAssessed("TOWNSHIP")).toEqual(["TOWNSHIP"]);
    expect(levelsAssessed(null)).toEqual([]);
  });
});

describe("kindsAssessed", () => {
  it("limits a cycle at the owner's own level to the units attached to it", () => {
    expect(kindsAssessed("COUNTY", "COUNTY")).toEqual(["DEPARTMENT", "AFFILIATED_UNIT", "ENTERPRISE"]);
    expect(kindsAssessed("CITY", "COUNTY")).toEqual([
      "DISTRICT",
      "COUNTY",
      "COUNTY_CITY",
      "DEVELOPMENT_ZONE",
      "DEPARTMENT",
      "AFFILIATED_UNIT",
      "ENTERPRISE",
    ]);
    expect(kindsAssessed("CITY", null)).toEqual([]);
  });
});

describe("lateness", () => {
  const due = "2026-11-20T16:00:00+00:00";
  const after = new Date("2026-12-03T00:00:00Z");
  const before = new Date("2026-11-20T15:00:00Z");

  it("is late when the server says it was submitted late", () => {
    expect(lateness({ late: true, state: "RESUBMITTED" }, due, before)).toBe("late");
  });

  it("is overdue for a draft or a returned one once the due time has passed", () => {
    expect(lateness({ late: false, state: "DRAFT" }, due, after)).toBe("overdue");
    expect(lateness({ late: false, state: "RETURNED" }, due, after)).toBe("overdue");
    expect(lateness({ late: false, state: "DRAFT" }, due, before)).toBeNull();
  });

  it("is nothing for one handed in on time", () => {
    expect(lateness({ late: false, state: "SUBMITTED" }, due, after)).toBeNull();
    expect(lateness({ late: false, state: "FINAL" }, due, after)).toBeNull();
  });

  it("counts the overdue units from the state counts", () => {
    const counts = [
      { state: "DRAFT" as const, count: 7 },
      { state: "RETURNED" as const, count: 1 },
      { state: "FINAL" as const, count: 2 },
    ];
    expect(overdueCount(counts, due, after)).toBe(8);
    expect(overdueCount(counts, due, before)).toBe(0);
  });
});

describe("segments", () => {
  it("keeps non-empty states in workflow order with their shares", () => {
    const { total, parts } = segments([
      { state: "FINAL", count: 1 },
      { state: "SUBMITTED", count: 0 },
      { state: "DRAFT", count: 3 },
    ]);
    expect(total).toBe(4);
    expect(parts).toEqual([
      { state: "DRAFT", count: 3, share: 0.75 },
      { state: "FINAL", count: 1, share: 0.25 },
    ]);
  });

  it("is empty when nothing is counted", () => {
    expect(segments([{ state: "DRAFT", count: 0 }])).toEqual({ total: 0, parts: [] });
  });
});

describe("rankingKind", () => {
  const base = { pending: false, queued: false, lastError: null, snapshotVersion: 2 };
  it("reads the status", () => {
    expect(rankingKind(null)).toBe("never");
    expect(rankingKind(base)).toBe("current");
    expect(rankingKind({ ...base, queued: true })).toBe("updating");
    expect(rankingKind({ ...base, pending: true })).toBe("updating");
    expect(rankingKind({ ...base, lastError: "boom" })).toBe("failed");
    expect(rankingKind({ ...base, snapshotVersion: null })).toBe("never");
  });
});

describe("appeal windows", () => {
  const base = {
    ownerNodeId: "T1",
    templateId: "P2",
    name: "申诉",
    level: "TOWNSHIP" as const,
    periodStart: dayjs("2027-01-01"),
    periodEnd: dayjs("2027-06-30"),
    selfDue: dayjs("2027-07-15T17:30"),
    reviewDue: dayjs("2027-08-01T09:00"),
  };

  it("sends the open-cycle form's appeal deadline in China time, and none when left empty", () => {
    expect(openCycleInput({ ...base, appealDue: dayjs("2027-08-20T17:00") }).appealDue).toBe("2027-08-20T17:00:00+08:00");
    expect(openCycleInput({ ...base, appealDue: null })).not.toHaveProperty("appealDue");
    expect(openCycleInput(base)).not.toHaveProperty("appealDue");
  });

  it("moves the window to a moment in China time, or closes it with null", () => {
    expect(appealWindowInput("C1", dayjs("2026-11-20T17:00"))).toEqual({ cycleId: "C1", appealDue: "2026-11-20T17:00:00+08:00" });
    expect(appealWindowInput("C1", null)).toEqual({ cycleId: "C1", appealDue: null });
  });

  it("lets admins of the owner or a unit above it set the window", () => {
    const owner = { id: "T-jx", ancestors: [{ id: "T-zj" }] };
    expect(isCycleAdmin([{ role: "ADMIN", node: { id: "T-jx" } }], owner)).toBe(true);
    expect(isCycleAdmin([{ role: "ADMIN", node: { id: "T-zj" } }], owner)).toBe(true);
    expect(isCycleAdmin([{ role: "ASSESSOR", node: { id: "T-jx" } }], owner)).toBe(false);
    expect(isCycleAdmin([{ role: "ADMIN", node: { id: "T-nanhu" } }], owner)).toBe(false);
    expect(isCycleAdmin(null, owner)).toBe(false);
    expect(isCycleAdmin([{ role: "ADMIN", node: { id: "T-jx" } }], null)).toBe(false);
  });
});

describe("fromChinaMoment", () => {
  it("gives the China wall-clock time of a moment, which toChinaMoment sends back unchanged", () => {
    const picked = fromChinaMoment("2026-11-20T09:00:00+00:00");
    expect(picked.format("YYYY-MM-DD HH:mm")).toBe("2026-11-20 17:00");
    expect(toChinaMoment(picked)).toBe("2026-11-20T17:00:00+08:00");
    expect(toChinaMoment(fromChinaMoment("2026-11-20T17:00:00+08:00"))).toBe("2026-11-20T17:00:00+08:00");
  });
});
