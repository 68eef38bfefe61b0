import { describe, expect, it } from "vitest";
import {
  AUTO_LAYOUT,
  columnsInput,
  familyOptions,
  isLayoutError,
  percentRead,
  placeErrors,
  previewRows,
  statedDiffers,
  withHeaderRow,
  withRole,
  withSheet,
} from "./standards";

const columns = [
  { column: 1, letter: "A", heading: "一级要素", role: "ELEMENT" as const, sample: "目标" },
  { column: 2, letter: "B", heading: "二级要素", role: "SUBELEMENT" as const, sample: "目标制定" },
  { column: 3, letter: "C", heading: "考评内容", role: "REQUIREMENT" as const, sample: "制定年度目标" },
  { column: 4, letter: "D", heading: "备注", role: "IGNORE" as const, sample: "" },
];

describe("the layout sent with a preview", () => {
  it("gives every column's role, the changed one included", () => {
    expect(columnsInput(columns, { column: 4, role: "CRITERIA" })).toEqual([
      { column: 1, role: "ELEMENT" },
      { column: 2, role: "SUBELEMENT" },
      { column: 3, role: "REQUIREMENT" },
      { column: 4, role: "CRITERIA" },
    ]);
    expect(columnsInput(columns).map((c) => c.role)).toEqual(["ELEMENT", "SUBELEMENT", "REQUIREMENT", "IGNORE"]);
  });

  it("keeps the sheet and pins the heading row the columns were read under", () => {
    const preview = { sheet: "标准", headerRow: 3, columns };
    const layout = withRole(withSheet("标准"), preview, 2, "IGNORE");
    expect(layout.sheet).toBe("标准");
    expect(layout.headerRow).toBe(3);
    expect(layout.columns?.find((c) => c.column === 2)?.role).toBe("IGNORE");
    expect(layout.columns).toHaveLength(4);
  });

  it("finds the columns again for another sheet or heading row", () => {
    const chosen = { sheet: "标准", headerRow: 2, columns: [{ column: 1, role: "ELEMENT" as const }] };
    expect(withSheet("附表")).toEqual({ sheet: "附表", headerRow: null, columns: null });
    expect(withHeaderRow(chosen, 4)).toEqual({ sheet: "标准", headerRow: 4, columns: null });
    expect(withHeaderRow(AUTO_LAYOUT, 1)).toEqual({ sheet: null, headerRow: 1, columns: null });
  });
});

describe("percentRead", () => {
  it("rounds down to a tenth so 100 means every piece", () => {
    expect(percentRead(5, 6)).toBe(83.3);
    expect(percentRead(1999, 2000)).toBe(99.9);
    expect(percentRead(6, 6)).toBe(100);
    expect(percentRead(0, 4)).toBe(0);
  });

  it("is 100 when there is nothing to read", () => {
    expect(percentRead(0, 0)).toBe(100);
  });
});

describe("placeErrors", () => {
  it("puts layout errors beside their fields and cells in the list", () => {
    const placed = placeErrors([
      { field: "columns", message: "no points column", code: "INVALID" },
      { field: "input.headerRow", message: "blank row", code: "INVALID" },
      { field: "sheet", message: "no such sheet", code: "NOT_FOUND" },
      { field: "file", message: "not a workbook", code: "INVALID" },
      { field: "标准!D7", message: "not a number", code: "INVALID" },
      { field: null, message: "whole input", code: "INVALID" },
      { field: "columns[2].role", message: "twice", code: "DUPLICATE" },
    ]);
    expect(placed.columns).toEqual(["no points column", "twice"]);
    expect(placed.headerRow).toEqual(["blank row"]);
    expect(placed.sheet).toEqual(["no such sheet"]);
    expect(placed.file).toEqual(["not a workbook"]);
    expect(placed.rest.map((e) => e.field)).toEqual(["标准!D7", null]);
  });

  it("tells layout errors from the import form's", () => {
    expect(isLayoutError({ field: "Sheet1!E3", message: "", code: "INVALID" })).toBe(true);
    expect(isLayoutError({ field: "columns", message: "", code: "INVALID" })).toBe(true);
    expect(isLayoutError({ field: "familyCode", message: "", code: "DUPLICATE" })).toBe(false);
    expect(isLayoutError({ field: "title", message: "", code: "REQUIRED" })).toBe(false);
    expect(isLayoutError({ field: null, message: "", code: "FORBIDDEN" })).toBe(false);
  });
});

describe("the preview's tree", () => {
  const item = (code: string, kind: "CATEGORY" | "INDICATOR", maxPoints: string, statedPoints: string | null) => ({
    code,
    title: code,
    depth: code.split(".").length - 1,
    kind,
    maxPoints,
    statedPoints,
    cell: "A2",
    method: null,
    clauses: [],
    unread: [],
  });

  it("marks a category stating other points than its items add up to", () => {
    expect(statedDiffers(item("1", "CATEGORY", "30.00", "30"))).toBe(false);
    expect(statedDiffers(item("1", "CATEGORY", "28.00", "30"))).toBe(true);
    expect(statedDiffers(item("1", "CATEGORY", "28.00", null))).toBe(false);
    expect(statedDiffers(item("1.1", "INDICATOR", "2", "3"))).toBe(false);
  });

  it("keys rows by position", () => {
    const rows = previewRows([item("1", "CATEGORY", "1", null), item("1", "CATEGORY", "1", null)]);
    expect(rows.map((r) => r.key)).toEqual(["0:1", "1:1"]);
  });
});

describe("familyOptions", () => {
  it("lists each province family once, not local templates nor other owners'", () => {
    const t = (code: string, owner: string | null, ext = false) => ({
      family: { code, name: `F${code}` },
      owner: owner ? { id: owner } : null,
      extends: ext ? { id: "x" } : null,
    });
    expect(
      familyOptions([t("zj-b", "p1"), t("zj-a", "p1"), t("zj-b", "p1"), t("local", "p1", true), t("js", "p2"), t("n", null)], ["p1"]),
    ).toEqual([
      { code: "zj-a", name: "Fzj-a" },
      { code: "zj-b", name: "Fzj-b" },
    ]);
  });
});
