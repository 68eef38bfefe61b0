// The form's pure logic: what a row sends, which rows changed, where errors go, the tree.
import { describe, expect, it } from "vitest";
import {
  type Entry,
  buildSections,
  canEdit,
  changedInputs,
  indexesIn,
  inputFromRow,
  isFilled,
  plainDecimal,
  remapErrors,
  rowFromEntry,
} from "./entries";

function entry(code: string, method: Entry["indicator"]["method"], extra: Partial<Entry> = {}, source = "self"): Entry {
  return {
    value: null,
    done: null,
    points: null,
    counts: [],
    notApplicable: false,
    notApplicableReason: null,
    note: "",
    reviewed: false,
    reviewPoints: null,
    reviewReason: null,
    notApplicableConfirmed: null,
    attachments: [],
    ledgerFigure: null,
    selfScore: null,
    reviewedScore: null,
    ...extra,
    indicator: {
      code,
      title: `T${code}`,
      requirement: "",
      criteria: "",
      maxPoints: "10.00",
      method,
      target: null,
      floor: null,
      required: true,
      source,
      categoryCode: code.split(".").slice(0, -1).join("."),
      tiers: [],
      clauses:
        method === "DEDUCTION"
          ? [
              { key: "a", kind: "ZERO", text: "A", points: "0", threshold: null },
              { key: "b", kind: "PER_OCCURRENCE", text: "B", points: "1", threshold: null },
            ]
          : [],
    },
  };
}

describe("plainDecimal", () => {
  it("drops trailing zeros and blanks", () => {
    expect(plainDecimal("5.70")).toBe("5.7");
    expect(plainDecimal("10.00")).toBe("10");
    expect(plainDecimal(" 3 ")).toBe("3");
    expect(plainDecimal("")).toBeNull();
    expect(plainDecimal(null)).toBeNull();
  });
});

describe("inputFromRow", () => {
  it("gives only the field the method reads", () => {
    const row = { points: "5", value: "90", done: true, counts: { a: 0, b: 2 }, notApplicable: false, notApplicableReason: "", note: " x " };
    expect(inputFromRow(entry("1.1", "MANUAL").indicator, row)).toEqual({
      itemCode: "1.1", notApplicable: false, notApplicableReason: null, note: "x", points: "5",
    });
    expect(inputFromRow(entry("1.2", "RATIO").indicator, row).value).toBe("90");
    expect(inputFromRow(entry("1.2", "RATIO").indicator, row).points).toBeUndefined();
    expect(inputFromRow(entry("1.3", "BOOLEAN").indicator, row).done).toBe(true);
    expect(inputFromRow(entry("1.4", "DEDUCTION").indicator, row).counts).toEqual([{ key: "b", count: 2 }]);
  });

  it("sends no value for a ledger-fed indicator, and the reason only when not applicable", () => {
    const ledger = entry("2.1", "TIERS", {}, "hazard_rectification_rate").indicator;
    const input = inputFromRow(ledger, { value: "90", notApplicable: true, notApplicableReason: " none ", note: "" });
    expect(input).toEqual({ itemCode: "2.1", notApplicable: true, notApplicableReason: "none", note: "" });
    expect(inputFromRow(ledger, { notApplicable: false, notApplicableReason: "kept" }).notApplicableReason).toBeNull();
  });

  it("clears deductions when every count is 0", () => {
    expect(inputFromRow(entry("1.4", "DEDUCTION").indicator, { counts: { a: 0, b: null } }).counts).toBeNull();
  });
});

describe("changedInputs", () => {
  const entries = [
    entry("1.1", "MANUAL", { points: "5.70" }),
    entry("1.2", "DEDUCTION", { counts: [{ key: "b", count: 1 }] }),
    entry("1.3", "BOOLEAN"),
  ];

  it("finds nothing when the rows are as saved (5.70 and 5.7 are the same)", () => {
    const rows = entries.map(rowFromEntry);
    rows[0].points = "5.7";
    expect(changedInputs(entries, rows)).toEqual({ inputs: [], indexes: [] });
  });

  it("sends only the changed rows, with their indexes", () => {
    const rows = entries.map(rowFromEntry);
    rows[2].done = false;
    rows[1].counts = { a: 0, b: 3 };
    const { inputs, indexes } = changedInputs(entries, rows);
    expect(indexes).toEqual([1, 2]);
    expect(inputs.map((i) => i.itemCode)).toEqual(["1.2", "1.3"]);
    expect(inputs[0].counts).toEqual([{ key: "b", count: 3 }]);
  });
});

describe("remapErrors", () => {
  const entries = [entry("1.1", "MANUAL"), entry("1.2", "DEDUCTION"), entry("1.3", "BOOLEAN")];

  it("renames sent positions to form rows and puts counts errors beside the first clause", () => {
    const errors = remapErrors(
      [
        { field: "entries[0].points", message: "too high", code: "INVALID" },
        { field: "entries[1].counts", message: "bad", code: "INVALID" },
        { field: "entries", message: "whole", code: "REQUIRED" },
      ],
      [0, 1],
      entries,
    );
    expect(errors.map((e) => e.field)).toEqual(["entries[0].points", "entries[1].counts.a", "entries"]);
    const moved = remapErrors([{ field: "entries[0].done", message: "x", code: "INVALID" }], [2], entries);
    expect(moved[0].field).toBe("entries[2].done");
  });
});

describe("isFilled", () => {
  it("follows the server's rule for submitting", () => {
    const manual = entry("1.1", "MANUAL").indicator;
    expect(isFilled(manual, { points: null })).toBe(false);
    expect(isFilled(manual, { points: "0" })).toBe(true);
    expect(isFilled(manual, { notApplicable: true, notApplicableReason: " " })).toBe(false);
    expect(isFilled(manual, { notApplicable: true, notApplicableReason: "n/a" })).toBe(true);
    expect(isFilled(entry("1.2", "DEDUCTION").indicator, {})).toBe(true);
    expect(isFilled(entry("1.3", "BOOLEAN").indicator, { done: false })).toBe(true);
  });
});

describe("buildSections", () => {
  it("puts each entry under its category and gathers unknown ones last", () => {
    const entries = [entry("1.1", "MANUAL"), entry("3.1.1", "RATIO"), entry("9.1", "BONUS")];
    const sections = buildSections(
      [
        { code: "1", title: "One", maxPoints: "20", bonus: false, categories: [] },
        { code: "3", title: "Three", maxPoints: "15", bonus: false, categories: [{ code: "3.1", title: "x", maxPoints: "8", bonus: false }] },
      ],
      entries,
    );
    expect(sections.map((s) => s.code)).toEqual(["1", "3", ""]);
    expect(sections[1].indexes).toEqual([]);
    expect(indexesIn(sections[1])).toEqual([1]);
    expect(sections[2].indexes).toEqual([2]);
  });
});

describe("canEdit", () => {
  const roles = [{ role: "SUBMITTER", node: { id: "U1" } }, { role: "ASSESSOR", node: { id: "U0" } }];
  it("lets the unit's submitter edit a draft or returned assessment of an open cycle", () => {
    expect(canEdit("DRAFT", "OPEN", roles, "U1")).toBe(true);
    expect(canEdit("RETURNED", "OPEN", roles, "U1")).toBe(true);
    expect(canEdit("SUBMITTED", "OPEN", roles, "U1")).toBe(false);
    expect(canEdit("DRAFT", "CLOSED", roles, "U1")).toBe(false);
    expect(canEdit("DRAFT", "OPEN", roles, "U0")).toBe(false);
  });
});
