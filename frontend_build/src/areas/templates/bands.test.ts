// Unit tests of the editor's colour bands and trend thresholds: read from the API, sent back,
// blank level rows caught before saving, the grade thresholds shown as the default.
import { describe, expect, it } from "vitest";
import type { TemplateDetailFragment } from "../../gql/graphql";
import {
  bandsDraft,
  bandsInput,
  blankBandFields,
  blankNode,
  contentInput,
  DEFAULT_CONSEQUENCES,
  type Draft,
  draftFromTemplate,
  gradeBands,
  nextLevel,
} from "./model";
import { addNode } from "./tree";

const NO_NAMES = { excellent: null, good: null, qualified: null, unqualified: null };

function draft(patch: Partial<Draft> = {}): Draft {
  return {
    title: "T",
    year: 2026,
    totalPoints: "100",
    bonusCap: "5",
    gradeExcellent: "90",
    gradeGood: "80",
    gradeQualified: "60",
    compositeWeight: "",
    language: "EN",
    gradeNames: { excellent: "", good: "", qualified: "", unqualified: "" },
    bands: { green: "", yellow: "", levels: [] },
    trendMinPoints: "",
    trendMinRanks: null,
    items: [],
    vetoRules: [],
    consequences: { ...DEFAULT_CONSEQUENCES },
    ...patch,
  };
}

const BANDS = {
  green: "90.00",
  yellow: "60.00",
  levels: [{ level: "COUNTY" as const, green: "95.00", yellow: "70.00" }],
};

describe("colour bands", () => {
  it("reads the API's bands, and none as blanks", () => {
    expect(bandsDraft(BANDS)).toEqual(BANDS);
    expect(bandsDraft(null)).toEqual({ green: "", yellow: "", levels: [] });
    expect(bandsDraft({ green: null, yellow: null, levels: [] })).toEqual({ green: "", yellow: "", levels: [] });
  });

  it("reads a template's bands, trend thresholds and its items' bands", () => {
    const template = {
      title: "T",
      year: 2026,
      totalPoints: "100.00",
      bonusCap: "5.00",
      compositeWeight: null,
      trendMinPoints: "0.50",
      trendMinRanks: 2,
      bands: BANDS,
      grades: { excellent: "90.00", good: "80.00", qualified: "60.00", names: NO_NAMES },
      extends: null,
      vetoRules: [],
      categories: [
        {
          code: "1",
          title: "C",
          requirement: "",
          criteria: "",
          maxPoints: "10.00",
          bonus: false,
          local: false,
          bands: { green: "80.00", yellow: "50.00", levels: [] },
          indicators: [],
          categories: [],
        },
      ],
    } as unknown as TemplateDetailFragment;
    const read = draftFromTemplate(template);
    expect(read.bands).toEqual(BANDS);
    expect([read.trendMinPoints, read.trendMinRanks]).toEqual(["0.50", 2]);
    expect(read.items[0].bands).toEqual({ green: "80.00", yellow: "50.00", levels: [] });
  });

  it("sends nothing when nothing is set, and what is set trimmed", () => {
    expect(bandsInput({ green: " ", yellow: "", levels: [] })).toBeNull();
    expect(bandsInput({ green: " 90 ", yellow: "60", levels: [{ level: "TOWNSHIP", green: " 85", yellow: "50 " }] })).toEqual({
      green: "90",
      yellow: "60",
      levels: [{ level: "TOWNSHIP", green: "85", yellow: "50" }],
    });
    // Only levels: the default stays unset; half a default is sent for the API to name.
    expect(bandsInput({ green: "", yellow: "", levels: [{ level: "CITY", green: "1", yellow: "0" }] })).toMatchObject({ green: null, yellow: null });
    expect(bandsInput({ green: "90", yellow: "", levels: [] })).toEqual({ green: "90", yellow: null, levels: [] });
  });

  it("sends the template's and each item's bands with the trend thresholds", () => {
    const cat = { ...blankNode("CATEGORY"), code: "1", bands: { green: "80", yellow: "50", levels: [] } };
    const content = contentInput(draft({ items: [cat], bands: BANDS, trendMinPoints: " 0.5 ", trendMinRanks: 2 }));
    expect(content.bands).toEqual({ green: "90.00", yellow: "60.00", levels: BANDS.levels });
    expect([content.trendMinPoints, content.trendMinRanks]).toEqual(["0.5", 2]);
    expect(content.items[0].bands).toEqual({ green: "80", yellow: "50", levels: [] });
    const plain = contentInput(draft());
    expect([plain.bands, plain.trendMinPoints, plain.trendMinRanks]).toEqual([null, null, null]);
  });

  it("names the blank thresholds of level rows by their API paths", () => {
    const cat = blankNode("CATEGORY");
    const ind = { ...blankNode("INDICATOR"), bands: { green: "", yellow: "", levels: [{ level: "COUNTY" as const, green: "90", yellow: " " }] } };
    const items = addNode([cat], cat.key, ind);
    const blanks = blankBandFields(draft({ items, bands: { green: "", yellow: "", levels: [{ level: "CITY", green: "", yellow: "1" }] } }));
    expect(blanks).toEqual(["content.bands.levels[0].green", "content.items[0].children[0].bands.levels[0].yellow"]);
  });

  it("offers the levels not yet set, from the top", () => {
    expect(nextLevel({ green: "", yellow: "", levels: [] })).toBe("PROVINCE");
    expect(nextLevel({ green: "", yellow: "", levels: [{ level: "PROVINCE", green: "", yellow: "" }, { level: "COUNTY", green: "", yellow: "" }] })).toBe("CITY");
    const all = (["PROVINCE", "CITY", "COUNTY", "TOWNSHIP"] as const).map((level) => ({ level, green: "", yellow: "" }));
    expect(nextLevel({ green: "", yellow: "", levels: all })).toBeNull();
  });

  it("shows the grade thresholds as percents of the total", () => {
    expect(gradeBands(draft())).toEqual({ green: "90", yellow: "60" });
    expect(gradeBands(draft({ totalPoints: "1000", gradeExcellent: "855", gradeQualified: "600.5" }))).toEqual({ green: "85.5", yellow: "60.05" });
    expect(gradeBands(draft({ totalPoints: "" }))).toBeNull();
  });
});
