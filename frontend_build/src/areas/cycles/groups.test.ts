// The assessment groups' (分类考核) rules: the dialog's values to and from the API, thresholds,
// which units each group may take, and the words for the fields an error names.
import { describe, expect, it } from "vitest";
import {
  cycleGroupsInput,
  finalCount,
  groupErrorLabels,
  groupFormValues,
  hasOwnThresholds,
  thresholdFields,
  thresholdProblem,
  ungroupedUnits,
  unitsElsewhere,
} from "./logic";

const ALL = ["gradeExcellent", "gradeGood", "gradeQualified"] as const;

describe("thresholdFields", () => {
  it("gives the thresholds of the grades the template has, best first", () => {
    expect(
      thresholdFields([{ grade: "EXCELLENT" }, { grade: "GOOD" }, { grade: "QUALIFIED" }, { grade: "UNQUALIFIED" }]),
    ).toEqual([...ALL]);
    expect(thresholdFields([{ grade: "QUALIFIED" }, { grade: "UNQUALIFIED" }])).toEqual(["gradeQualified"]);
    expect(thresholdFields(null)).toEqual([]);
  });
});

describe("groupFormValues", () => {
  it("reads decimals as numbers, units as ids, the template's as null", () => {
    expect(
      groupFormValues([
        { code: "streets", name: "城区街道", units: [{ id: "T1" }, { id: "T2" }] },
        {
          code: "towns",
          name: "乡镇",
          gradeExcellent: "85.00",
          gradeGood: "75",
          gradeQualified: "60.5",
          commendationQuota: 2,
          units: [{ id: "T3" }],
        },
      ]),
    ).toEqual([
      {
        code: "streets",
        name: "城区街道",
        unitIds: ["T1", "T2"],
        gradeExcellent: null,
        gradeGood: null,
        gradeQualified: null,
        commendationQuota: null,
      },
      {
        code: "towns",
        name: "乡镇",
        unitIds: ["T3"],
        gradeExcellent: 85,
        gradeGood: 75,
        gradeQualified: 60.5,
        commendationQuota: 2,
      },
    ]);
  });
});

describe("cycleGroupsInput", () => {
  it("trims, sends thresholds as decimals and an empty quota as the template's", () => {
    expect(
      cycleGroupsInput(
        "C1",
        [
          { code: " towns ", name: " 乡镇 ", unitIds: ["T3", "T3", "T4"], gradeExcellent: 85, gradeGood: 75, gradeQualified: 60, commendationQuota: 0 },
          { code: "streets", name: "街道", unitIds: ["T1"], gradeExcellent: null, commendationQuota: undefined },
        ],
        [...ALL],
      ),
    ).toEqual({
      cycleId: "C1",
      groups: [
        {
          code: "towns",
          name: "乡镇",
          unitIds: ["T3", "T4"],
          gradeExcellent: "85",
          gradeGood: "75",
          gradeQualified: "60",
          commendationQuota: 0,
        },
        {
          code: "streets",
          name: "街道",
          unitIds: ["T1"],
          gradeExcellent: null,
          gradeGood: null,
          gradeQualified: null,
          commendationQuota: null,
        },
      ],
    });
  });

  it("sends only the thresholds the template has", () => {
    const input = cycleGroupsInput("C1", [{ code: "a", name: "A", unitIds: [], gradeExcellent: 90, gradeQualified: 60 }], [
      "gradeQualified",
    ]);
    expect(input.groups[0]).toMatchObject({ gradeExcellent: null, gradeGood: null, gradeQualified: "60" });
  });

  it("removes the groups with an empty list", () => {
    expect(cycleGroupsInput("C1", [], [...ALL])).toEqual({ cycleId: "C1", groups: [] });
  });
});

describe("thresholds of a group", () => {
  it("has its own when any is set", () => {
    expect(hasOwnThresholds({ gradeGood: 70 }, [...ALL])).toBe(true);
    expect(hasOwnThresholds({ gradeExcellent: "85.00", units: [], code: "", name: "" }, [...ALL])).toBe(true);
    expect(hasOwnThresholds({ gradeExcellent: 90 }, ["gradeQualified"])).toBe(false);
    expect(hasOwnThresholds({}, [...ALL])).toBe(false);
  });

  it("wants every grade the template has, each above the next", () => {
    expect(thresholdProblem({}, [...ALL])).toBeNull();
    expect(thresholdProblem({ gradeExcellent: 85, gradeGood: 75, gradeQualified: 60 }, [...ALL])).toBeNull();
    expect(thresholdProblem({ gradeExcellent: 85, gradeQualified: 60 }, [...ALL])).toBe("partial");
    expect(thresholdProblem({ gradeExcellent: 75, gradeGood: 75, gradeQualified: 60 }, [...ALL])).toBe("order");
    expect(thresholdProblem({ gradeExcellent: 60, gradeGood: 75, gradeQualified: 80 }, [...ALL])).toBe("order");
    expect(thresholdProblem({ gradeQualified: 60 }, ["gradeQualified"])).toBeNull();
  });
});

describe("units of the groups", () => {
  const groups = [{ unitIds: ["T1", "T2"] }, { unitIds: ["T3"] }, undefined];

  it("does not offer a group the units another holds", () => {
    expect([...unitsElsewhere(groups, 0)]).toEqual(["T3"]);
    expect([...unitsElsewhere(groups, 1)]).toEqual(["T1", "T2"]);
    expect([...unitsElsewhere(groups, 2)]).toEqual(["T1", "T2", "T3"]);
  });

  it("lists the units in no group", () => {
    const units = [{ id: "T1" }, { id: "T4" }, { id: "T3" }, { id: "T5" }];
    expect(ungroupedUnits(units, groups)).toEqual([{ id: "T4" }, { id: "T5" }]);
    expect(ungroupedUnits(units, [])).toEqual(units);
  });
});

describe("finalCount", () => {
  it("counts the final results", () => {
    expect(finalCount([{ state: "DRAFT", count: 3 }, { state: "FINAL", count: 2 }])).toBe(2);
    expect(finalCount([{ state: "DRAFT", count: 3 }])).toBe(0);
  });
});

describe("groupErrorLabels", () => {
  it("names each group's fields by its place", () => {
    const t = (key: string, options?: Record<string, unknown>) =>
      options ? `${key}(${JSON.stringify(options)})` : key;
    const labels = groupErrorLabels(2, t);
    expect(labels.groups).toBe("cycles.groups.fields.groups");
    expect(labels["groups[1].code"]).toBe('cycles.groups.nth({"n":2})：cycles.groups.fields.code');
    expect(labels["groups[0].gradeExcellent"]).toBe('cycles.groups.nth({"n":1})：cycles.groups.fields.gradeExcellent');
    expect(labels["groups[2].code"]).toBeUndefined();
  });
});
