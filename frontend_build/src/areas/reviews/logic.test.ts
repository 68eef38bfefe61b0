// Unit tests of the reviews logic: who may review or finalise, gaps, statuses, the tree and
// the review inputs the forms send.
import { describe, expect, it } from "vitest";
import {
  adjustDefaults,
  canDecide,
  decideAppealInput,
  decideDefaults,
  waitingAppeals,
  buildTree,
  canFinalise,
  canReview,
  categoryKeys,
  confirmRestInputs,
  type EntryRow,
  gapOf,
  reviewInputOf,
  reviewStatus,
  retroactiveUntil,
  selfInputParts,
  todayInChina,
} from "./logic";

const nanhu = { id: "T-nanhu" };
const jiaxing = { id: "T-jx" };
const zhejiang = { id: "T-zj" };
const township = { id: "T-jianshe", ancestors: [zhejiang, jiaxing, nanhu] };
const county = { id: "T-nanhu", ancestors: [zhejiang, jiaxing] };

const nanhuOffice = {
  node: nanhu,
  roles: [
    { role: "ASSESSOR" as const, node: nanhu },
    { role: "SUBMITTER" as const, node: nanhu },
  ],
};
const jxOffice = {
  node: jiaxing,
  roles: [
    { role: "ADMIN" as const, node: jiaxing },
    { role: "ASSESSOR" as const, node: jiaxing },
  ],
};

function entry(code: string, over: Partial<EntryRow> = {}): EntryRow {
  return {
    indicator: {
      code,
      title: `T${code}`,
      requirement: "",
      criteria: "",
      maxPoints: "10.00",
      method: "MANUAL",
      target: null,
      floor: null,
      required: true,
      source: "self",
      categoryCode: code.split(".")[0],
      clauses: [],
    },
    value: null,
    done: null,
    points: "8.00",
    counts: [],
    notApplicable: false,
    notApplicableReason: null,
    notApplicableConfirmed: null,
    note: "",
    reviewed: false,
    reviewPoints: null,
    reviewReason: null,
    attachments: [],
    ledgerFigure: null,
    selfScore: { points: "8.00", maxPoints: "10.00", notApplicable: false, missing: false, explanation: [] },
    reviewedScore: {
      points: "8.00",
      maxPoints: "10.00",
      notApplicable: false,
      missing: false,
      adjusted: false,
      explanation: [],
    },
    ...over,
  } as EntryRow;
}

describe("who may act", () => {
  it("an assessor above reviews; nobody reviews their own unit", () => {
    expect(canReview(nanhuOffice, township)).toBe(true);
    expect(canReview(nanhuOffice, county)).toBe(false);
    expect(canReview(jxOffice, county)).toBe(true);
    expect(canReview(jxOffice, township)).toBe(true);
    expect(canReview(null, township)).toBe(false);
  });

  it("finalising is for the cycle's office or above", () => {
    const jxCycleOwner = { id: "T-jx", ancestors: [zhejiang] };
    expect(canFinalise(jxOffice, jxCycleOwner)).toBe(true);
    expect(canFinalise(nanhuOffice, jxCycleOwner)).toBe(false);
    expect(canFinalise(jxOffice, { id: "T-zj", ancestors: [] })).toBe(false);
    expect(canFinalise(jxOffice, null)).toBe(false);
  });
});

describe("gapOf", () => {
  it("subtracts to the cent without float noise", () => {
    expect(gapOf("90.25", "88.50")).toBe("-1.75");
    expect(gapOf("0.10", "0.30")).toBe("0.20");
    expect(gapOf("5", "5")).toBe("0.00");
    expect(gapOf(null, "5")).toBeNull();
  });
});

describe("reviewStatus", () => {
  it("tells pending, confirmed, adjusted and N/A decisions apart", () => {
    expect(reviewStatus(entry("1.1"))).toBe("pending");
    expect(reviewStatus(entry("1.1", { reviewed: true }))).toBe("confirmed");
    expect(reviewStatus(entry("1.1", { reviewed: true, reviewPoints: "5.00" }))).toBe("adjusted");
    expect(reviewStatus(entry("1.1", { reviewed: true, notApplicable: true, notApplicableConfirmed: true }))).toBe(
      "naAccepted",
    );
    expect(reviewStatus(entry("1.1", { reviewed: true, notApplicable: true, notApplicableConfirmed: false }))).toBe(
      "naRefused",
    );
  });
});

describe("reviewInputOf", () => {
  it("adjusting sends points and the trimmed reason, and no reason as null", () => {
    expect(reviewInputOf("2.2", { decision: "adjust", points: 6, reason: "  only 3 minutes " }, false)).toEqual({
      itemCode: "2.2",
      confirm: false,
      points: "6",
      reason: "only 3 minutes",
    });
    expect(reviewInputOf("2.2", { decision: "adjust", points: "6", reason: "  " }, false)).toEqual({
      itemCode: "2.2",
      confirm: false,
      points: "6",
      reason: null,
    });
  });

  it("confirming sends the item only; a claimed N/A is accepted or refused explicitly", () => {
    expect(reviewInputOf("1.1", { decision: "confirm", points: "3" }, false)).toEqual({ itemCode: "1.1", reason: null });
    expect(reviewInputOf("4.2", { decision: "adjust", naAccepted: true, points: "2" }, true)).toEqual({
      itemCode: "4.2",
      notApplicableConfirmed: true,
      reason: null,
    });
    expect(reviewInputOf("4.2", { decision: "confirm", naAccepted: false, reason: "it applies" }, true)).toEqual({
      itemCode: "4.2",
      reason: "it applies",
      notApplicableConfirmed: false,
    });
  });

  it("starts the form from the last review", () => {
    expect(adjustDefaults(entry("1.1", { reviewed: true, reviewPoints: "5.00", reviewReason: "x" }))).toMatchObject({
      decision: "adjust",
      points: "5.00",
      reason: "x",
    });
    expect(adjustDefaults(entry("1.1")).decision).toBe("confirm");
  });
});

describe("confirmRestInputs", () => {
  it("confirms only the indicators not reviewed yet", () => {
    const rows = [entry("1.1", { reviewed: true }), entry("1.2"), entry("2.1")];
    expect(confirmRestInputs(rows)).toEqual([{ itemCode: "1.2" }, { itemCode: "2.1" }]);
  });
});

describe("buildTree", () => {
  it("puts indicators under their categories with self, reviewed and gap", () => {
    const categories = [
      { code: "1", title: "C1", maxPoints: "20", bonus: false, indicators: [{ code: "1.1" }], categories: [] },
      {
        code: "3",
        title: "C3",
        maxPoints: "15",
        bonus: false,
        indicators: [],
        categories: [{ code: "3.1", title: "C31", maxPoints: "8", bonus: false, indicators: [{ code: "3.1.1" }] }],
      },
      { code: "8", title: "Bonus", maxPoints: "5", bonus: true, indicators: [{ code: "8.1" }], categories: [] },
    ];
    const entries = [
      entry("1.1", {
        reviewedScore: { points: "6.00", maxPoints: "10", notApplicable: false, missing: false, adjusted: true, explanation: [] },
      }),
      entry("3.1.1"),
      entry("8.1"),
      entry("9.9"),
    ];
    const tree = buildTree(categories, entries, [{ code: "1", points: "8.00" }], [{ code: "1", points: "6.00" }]);
    expect(tree.map((r) => r.code)).toEqual(["1", "3", "8", "9.9"]);
    expect(tree[0]).toMatchObject({ selfPoints: "8.00", reviewedPoints: "6.00", gap: "-2.00" });
    expect(tree[0].children?.[0]).toMatchObject({ code: "1.1", selfPoints: "8.00", reviewedPoints: "6.00", gap: "-2.00" });
    expect(tree[1].children?.[0].children?.[0].code).toBe("3.1.1");
    expect(tree[2].children?.[0].bonus).toBe(true);
    expect(categoryKeys(tree)).toEqual(["c:1", "c:3", "c:3.1", "c:8"]);
  });
});

describe("selfInputParts", () => {
  it("says what the unit entered by method", () => {
    expect(selfInputParts({ ...entry("1"), indicator: { ...entry("1").indicator, method: "BOOLEAN" }, done: true })).toEqual([
      { key: "input.done" },
    ]);
    expect(
      selfInputParts({
        ...entry("1"),
        indicator: { ...entry("1").indicator, method: "DEDUCTION" },
        counts: [
          { key: "a", count: 0 },
          { key: "c", count: 2 },
        ],
      }),
    ).toEqual([{ key: "input.counts", values: { counts: "c×2" } }]);
    expect(selfInputParts({ ...entry("1"), notApplicable: true, notApplicableReason: "no mines" })[0].key).toBe(
      "input.notApplicable",
    );
    expect(selfInputParts({ ...entry("1"), points: null })).toEqual([{ key: "input.missing" }]);
  });
});

describe("appeal decisions", () => {
  it("sends the points (trimmed) and the reason to accept", () => {
    expect(decideAppealInput("AP1", true, { points: " 1.5 ", reason: " 材料已补充 " })).toEqual({
      appealId: "AP1",
      accept: true,
      points: "1.5",
      reason: "材料已补充",
    });
    expect(decideAppealInput("AP1", true, { points: 2, reason: "ok" }).points).toBe("2");
    expect(decideAppealInput("AP1", true, { points: "", reason: "" })).toEqual({ appealId: "AP1", accept: true, points: null, reason: "" });
  });

  it("never sends points to reject", () => {
    expect(decideAppealInput("AP1", false, { points: "3", reason: "材料不全" })).toEqual({
      appealId: "AP1",
      accept: false,
      points: null,
      reason: "材料不全",
    });
  });

  it("prefills accepting with the points appealed", () => {
    expect(decideDefaults({ pointsBefore: "0.00" }, true)).toEqual({ points: "0.00", reason: "" });
    expect(decideDefaults({ pointsBefore: "0.00" }, false)).toEqual({ reason: "" });
  });

  it("lets a reviewer decide a waiting appeal of a reviewed assessment only", () => {
    expect(canDecide(true, "REVIEWED", { state: "OPEN" })).toBe(true);
    expect(canDecide(false, "REVIEWED", { state: "OPEN" })).toBe(false);
    expect(canDecide(true, "FINAL", { state: "OPEN" })).toBe(false);
    expect(canDecide(true, "REVIEWED", { state: "ACCEPTED" })).toBe(false);
    expect(waitingAppeals([{ state: "OPEN" }, { state: "REJECTED" }, { state: "OPEN" }])).toBe(2);
  });
});

describe("retroactiveUntil", () => {
  it("adds the template's years to the period's end", () => {
    expect(retroactiveUntil("2025-12-31", 3)).toBe("2028-12-31");
    expect(retroactiveUntil("2025-06-30", 1)).toBe("2026-06-30");
  });

  it("falls back to 28 February from a leap day", () => {
    expect(retroactiveUntil("2024-02-29", 1)).toBe("2025-02-28");
    expect(retroactiveUntil("2024-02-29", 0)).toBeNull();
  });
});

describe("todayInChina", () => {
  it("counts the day in China time", () => {
    expect(todayInChina(new Date("2026-12-31T17:00:00Z"))).toBe("2027-01-01");
    expect(todayInChina(new Date("2026-12-31T15:00:00Z"))).toBe("2026-12-31");
  });
});
