// Unit tests of the reports area's rules: the province admin, polling, and the
// letterhead's wording from the form to the API and its errors back to the rows.
import { describe, expect, it } from "vitest";
import {
  anyPrinting,
  isProvinceAdmin,
  type Label,
  languageOfField,
  overrideCount,
  overridesOf,
  placeholderProblem,
  placeholders,
  remapWordingErrors,
  wordingInput,
} from "./logic";

const LABELS: Label[] = [
  { language: "ZH", key: "scorecard_title", defaultText: "安全生产工作考核评分表" },
  { language: "ZH", key: "rank_of", defaultText: "第 {rank} 名 / 共 {of} 名" },
  { language: "EN", key: "scorecard_title", defaultText: "Work-safety assessment scorecard" },
  { language: "EN", key: "rank_of", defaultText: "No. {rank} of {of}" },
];

describe("isProvinceAdmin", () => {
  it("needs an ADMIN grant on a province", () => {
    expect(isProvinceAdmin({ roles: [{ role: "ADMIN", node: { level: "PROVINCE" } }] })).toBe(true);
    expect(isProvinceAdmin({ roles: [{ role: "ADMIN", node: { level: "CITY" } }, { role: "ASSESSOR", node: { level: "PROVINCE" } }] })).toBe(false);
    expect(isProvinceAdmin(null)).toBe(false);
  });
});

describe("anyPrinting", () => {
  it("is true while a report is queued or running", () => {
    expect(anyPrinting([{ jobRun: { state: "SUCCEEDED" } }, { jobRun: { state: "RUNNING" } }])).toBe(true);
    expect(anyPrinting([{ jobRun: { state: "QUEUED" } }])).toBe(true);
    expect(anyPrinting([{ jobRun: { state: "FAILED" } }, { jobRun: null }])).toBe(false);
    expect(anyPrinting([])).toBe(false);
  });
});

describe("the letterhead's wording", () => {
  it("fills the form from the saved wording", () => {
    expect(overridesOf([{ language: "EN", key: "rank_of", text: "Rank {rank} of {of}" }])).toEqual({
      ZH: {},
      EN: { rank_of: "Rank {rank} of {of}" },
    });
  });

  it("saves only the overrides that say something, trimmed, and remembers their rows", () => {
    const { wording, fields } = wordingInput(LABELS, {
      ZH: { scorecard_title: "  浙江省安全生产考核评分表 ", rank_of: "" },
      EN: { scorecard_title: "Work-safety assessment scorecard", rank_of: "Rank {rank} of {of}" },
    });
    expect(wording).toEqual([
      { language: "ZH", key: "scorecard_title", text: "浙江省安全生产考核评分表" },
      { language: "EN", key: "rank_of", text: "Rank {rank} of {of}" },
    ]);
    expect(fields).toEqual(["overrides.ZH.scorecard_title", "overrides.EN.rank_of"]);
    expect(wordingInput(LABELS, undefined)).toEqual({ wording: [], fields: [] });
  });

  it("puts the API's wording errors back on their rows, other errors as they are", () => {
    const fields = ["overrides.ZH.scorecard_title", "overrides.EN.rank_of"];
    expect(
      remapWordingErrors(
        [
          { field: "wording[1].text", message: "must fill in exactly {of}, {rank}", code: "INVALID" },
          { field: "input.wording[0].key", message: "given twice", code: "DUPLICATE" },
          { field: "issuer", message: "too long", code: "INVALID" },
          { field: "wording[7].text", message: "no such row", code: "INVALID" },
          { field: null, message: "not yours", code: "FORBIDDEN" },
        ],
        fields,
      ).map((e) => e.field),
    ).toEqual(["overrides.EN.rank_of", "overrides.ZH.scorecard_title", "issuer", "wording[7].text", null]);
  });

  it("knows the language of a row's field", () => {
    expect(languageOfField("overrides.EN.rank_of")).toBe("EN");
    expect(languageOfField("issuer")).toBeNull();
    expect(languageOfField(null)).toBeNull();
  });

  it("counts a language's overrides", () => {
    const overrides = { ZH: { scorecard_title: "评分表" }, EN: { rank_of: "No. {rank} of {of}" } };
    expect(overrideCount(LABELS, overrides, "ZH")).toBe(1);
    expect(overrideCount(LABELS, overrides, "EN")).toBe(0);
  });
});

describe("placeholders", () => {
  it("finds the {names}, ignoring literal braces", () => {
    expect(placeholders("第 {rank} 名 / 共 {of} 名")).toEqual(["of", "rank"]);
    expect(placeholders("{{not}} a name; {scope}")).toEqual(["scope"]);
    expect(placeholders("none")).toEqual([]);
  });

  it("says which names an override lacks or adds", () => {
    expect(placeholderProblem("第 {rank} 名 / 共 {of} 名", "排第{rank}名，共{of}名")).toBeNull();
    expect(placeholderProblem("第 {rank} 名 / 共 {of} 名", "排第{rank}名")).toEqual({ missing: ["of"], extra: [] });
    expect(placeholderProblem("评分表", "{unit}评分表")).toEqual({ missing: [], extra: ["unit"] });
  });
});
