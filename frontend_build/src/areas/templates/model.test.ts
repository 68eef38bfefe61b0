// Unit tests of the editor's model: tree edits, the content input, problem paths.
import { describe, expect, it } from "vitest";
import type { TemplateDetailFragment } from "../../gql/graphql";
import {
  blankClause,
  blankNode,
  blankRule,
  consequencesShown,
  contentInput,
  DEFAULT_CONSEQUENCES,
  type Draft,
  draftFromTemplate,
  withKind,
} from "./model";
import {
  addNode,
  apiPath,
  categoriesSum,
  childrenSum,
  findPath,
  itemIndexPath,
  moveNode,
  nodeProblems,
  problemsByField,
  removeNode,
  updateNode,
} from "./tree";

const NO_NAMES = { excellent: null, good: null, qualified: null, unqualified: null };

function draft(): Draft {
  return {
    title: " T ",
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
    vetoRules: [{ code: " V1 ", title: "事故", text: "", kind: "MANUAL", severity: "VETO", threshold: null }],
    consequences: { ...DEFAULT_CONSEQUENCES },
  };
}

describe("tree edits", () => {
  it("adds categories and indicators with suggested codes, indicators before subcategories", () => {
    const cat = { ...blankNode("CATEGORY"), maxPoints: "60" };
    let items = addNode([], null, cat);
    expect(items[0].code).toBe("1");
    const sub = blankNode("CATEGORY");
    items = addNode(items, cat.key, sub);
    const ind = blankNode("INDICATOR");
    items = addNode(items, cat.key, ind);
    expect(items[0].children.map((c) => c.code)).toEqual(["1.1", "1.1"]);
    expect(items[0].children.map((c) => c.kind)).toEqual(["INDICATOR", "CATEGORY"]);
    expect(findPath(items, sub.key)).toEqual([0, 1]);
    expect(apiPath([0, 1])).toBe("content.items[0].children[1]");
  });

  it("moves among siblings of the same kind only, and removes", () => {
    const cat = blankNode("CATEGORY");
    const a = { ...blankNode("INDICATOR"), code: "a" };
    const b = { ...blankNode("INDICATOR"), code: "b" };
    const s = { ...blankNode("CATEGORY"), code: "s" };
    let items = addNode(addNode(addNode(addNode([], null, cat), cat.key, a), cat.key, b), cat.key, s);
    items = moveNode(items, b.key, -1);
    expect(items[0].children.map((c) => c.code)).toEqual(["b", "a", "s"]);
    expect(moveNode(items, a.key, 1)).toBe(items); // not past the subcategory
    expect(moveNode(items, b.key, -1)).toBe(items);
    items = removeNode(items, a.key);
    expect(items[0].children.map((c) => c.code)).toEqual(["b", "s"]);
  });
});

// Cap and repeat factor only on a per-occurrence clause, measure and class only fed by accidents.
const NO_LIMITS = { cap: null, repeatFactor: null, accidentMeasure: null, accidentClass: null };

describe("contentInput", () => {
  it("sends only the chosen method's parameters, trimmed", () => {
    const cat = { ...blankNode("CATEGORY"), code: "1", title: "C", maxPoints: "10" };
    const ind = {
      ...blankNode("INDICATOR"),
      code: "1.1",
      title: "I",
      maxPoints: "10",
      method: "DEDUCTION" as const,
      target: "100",
      tiers: [{ minValue: "1", points: "1" }],
      clauses: [
        { key: " a ", kind: "ZERO" as const, text: "无", points: "3", threshold: "2", fact: "", scope: "ITEM" as const, factScope: "CATEGORY" as const, cap: "4", repeatFactor: "2", accidentMeasure: "DEATHS" as const, accidentClass: null },
        { key: "b", kind: "CASCADE" as const, text: "累计", points: "1", threshold: "5", fact: " f ", scope: "TEMPLATE" as const, factScope: "ITEM" as const, cap: "4", repeatFactor: "2", accidentMeasure: "DEATHS" as const, accidentClass: null },
        { key: "c", kind: "EXTRA" as const, text: "加扣", points: "2", threshold: "", fact: "", scope: "CATEGORY" as const, factScope: "ITEM" as const, cap: "4", repeatFactor: "2", accidentMeasure: "DEATHS" as const, accidentClass: null },
        { key: "d", kind: "JUDGEMENT" as const, text: "酌情扣分", points: "3", threshold: "1", fact: "g", scope: "ITEM" as const, factScope: "TEMPLATE" as const, cap: "4", repeatFactor: "2", accidentMeasure: "DEATHS" as const, accidentClass: null },
      ],
    };
    const items = addNode([cat], cat.key, ind);
    const content = contentInput({ ...draft(), items });
    expect(content.title).toBe("T");
    expect(content.compositeWeight).toBeNull();
    expect(content.vetoRules![0].code).toBe("V1");
    const sent = content.items[0].children![0];
    expect(sent.target).toBeNull();
    expect(sent.tiers).toEqual([]);
    expect(sent.method).toBe("DEDUCTION");
    expect(sent.clauses).toEqual([
      // scope only for EXTRA, factScope only with a fact: else ITEM.
      { key: "a", kind: "ZERO", text: "无", points: "0", threshold: null, fact: null, scope: "ITEM", factScope: "ITEM", ...NO_LIMITS },
      { key: "b", kind: "CASCADE", text: "累计", points: "1", threshold: "5", fact: "f", scope: "ITEM", factScope: "ITEM", ...NO_LIMITS },
      { key: "c", kind: "EXTRA", text: "加扣", points: "2", threshold: null, fact: null, scope: "CATEGORY", factScope: "ITEM", ...NO_LIMITS },
      { key: "d", kind: "JUDGEMENT", text: "酌情扣分", points: "3", threshold: null, fact: "g", scope: "ITEM", factScope: "TEMPLATE", ...NO_LIMITS },
    ]);
    expect(content.items[0].method).toBeNull();
  });

  it("keeps a per-occurrence clause's cap and repeat factor, trimmed, blank as null", () => {
    const cat = blankNode("CATEGORY");
    const ind = {
      ...blankNode("INDICATOR"),
      method: "DEDUCTION" as const,
      clauses: [
        { ...blankClause("a", "PER_OCCURRENCE"), cap: " 3 ", repeatFactor: "2" },
        { ...blankClause("b", "PER_OCCURRENCE"), cap: " ", repeatFactor: "" },
        { ...blankClause("c", "FIXED"), cap: "3", repeatFactor: "2" },
      ],
    };
    const sent = contentInput({ ...draft(), items: addNode([cat], cat.key, ind) }).items[0].children![0].clauses!;
    expect(sent.map((c) => [c.key, c.cap, c.repeatFactor])).toEqual([
      ["a", "3", "2"],
      ["b", null, null],
      ["c", null, null],
    ]);
  });

  it("sends accident measure and class only for an indicator fed by the accident ledger", () => {
    const cat = blankNode("CATEGORY");
    const clauses = [
      { ...blankClause("a", "PER_OCCURRENCE"), accidentClass: "GENERAL" as const },
      { ...blankClause("b", "ZERO"), accidentMeasure: "ACCIDENTS" as const, accidentClass: "LARGER" as const },
      { ...blankClause("c", "PER_OCCURRENCE"), accidentMeasure: "LATE_REPORT_HOURS" as const },
      blankClause("d", "FIXED"),
    ];
    const ind = { ...blankNode("INDICATOR"), method: "DEDUCTION" as const, source: "accidents", clauses };
    const sent = contentInput({ ...draft(), items: addNode([cat], cat.key, ind) }).items[0].children![0].clauses!;
    expect(sent.map((c) => [c.key, c.accidentMeasure, c.accidentClass])).toEqual([
      ["a", null, "GENERAL"],
      ["b", "ACCIDENTS", "LARGER"],
      ["c", "LATE_REPORT_HOURS", null],
      ["d", null, null],
    ]);
    const other = { ...ind, source: "self" };
    const self = contentInput({ ...draft(), items: addNode([cat], cat.key, other) }).items[0].children![0].clauses!;
    expect(self.map((c) => [c.accidentMeasure, c.accidentClass])).toEqual([
      [null, null],
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("keeps a ratio's target and floor, blank floor as null", () => {
    const cat = blankNode("CATEGORY");
    const ind = { ...blankNode("INDICATOR"), method: "RATIO" as const, target: "100", floor: " " };
    const sent = contentInput({ ...draft(), items: addNode([cat], cat.key, ind) }).items[0].children![0];
    expect([sent.target, sent.floor]).toEqual(["100", null]);
  });
});

describe("requirement (考评内容)", () => {
  const indicator = (code: string, requirement: string) => ({
    code,
    title: `I${code}`,
    requirement,
    criteria: "每缺一项扣1分",
    maxPoints: "10.00",
    method: "MANUAL" as const,
    target: null,
    floor: null,
    required: true,
    source: "self",
    tiers: [],
    clauses: [],
    bands: null,
    addedBy: null,
  });
  const long = "建立健全全员安全生产责任制，".repeat(200);

  it("reads a clause's scope and fact scope and sends them back", () => {
    const ind = {
      ...indicator("1.1", "要求"),
      method: "DEDUCTION" as const,
      clauses: [
        { key: "a", kind: "EXTRA", text: "除本小项不得分外，加扣2分", points: "2.00", threshold: null, fact: null, scope: "CATEGORY", factScope: "ITEM" },
        { key: "b", kind: "FIXED", text: "其他考评内容中已有的不重复扣分", points: "1.00", threshold: null, fact: "f", scope: "ITEM", factScope: "TEMPLATE" },
      ],
    };
    const template = templateOf("1", ind);
    const draft = draftFromTemplate(template);
    const clauses = draft.items[0].children[0].clauses;
    expect(clauses.map((c) => [c.scope, c.factScope])).toEqual([
      ["CATEGORY", "ITEM"],
      ["ITEM", "TEMPLATE"],
    ]);
    const sent = contentInput(draft).items[0].children![0].clauses!;
    expect(sent.map((c) => [c.kind, c.scope, c.factScope])).toEqual([
      ["EXTRA", "CATEGORY", "ITEM"],
      ["FIXED", "ITEM", "TEMPLATE"],
    ]);
  });

  it("reads a clause's cap, repeat factor, accident measure and class and sends them back (blank: null)", () => {
    const clause = (key: string, extra: object) => ({
      key,
      kind: "PER_OCCURRENCE",
      text: "",
      points: "1.00",
      threshold: null,
      fact: null,
      scope: "ITEM",
      factScope: "ITEM",
      cap: null,
      repeatFactor: null,
      accidentMeasure: null,
      accidentClass: null,
      ...extra,
    });
    const ind = {
      ...indicator("5.1", "生产安全事故控制"),
      method: "DEDUCTION" as const,
      source: "accidents",
      clauses: [
        clause("a", { accidentClass: "GENERAL", repeatFactor: "2" }),
        clause("b", { kind: "ZERO", points: "0.00", accidentClass: "LARGER" }),
        clause("c", { points: "0.50", cap: "3.00", accidentMeasure: "LATE_REPORT_HOURS" }),
      ],
    };
    const template = templateOf("5", ind);
    const draft = draftFromTemplate(template);
    expect(draft.items[0].children[0].clauses.map((c) => [c.cap, c.repeatFactor, c.accidentMeasure, c.accidentClass])).toEqual([
      ["", "2", null, "GENERAL"],
      ["", "", null, "LARGER"],
      ["3.00", "", "LATE_REPORT_HOURS", null],
    ]);
    const sent = contentInput(draft).items[0].children![0].clauses!;
    expect(sent.map((c) => [c.key, c.cap, c.repeatFactor, c.accidentMeasure, c.accidentClass])).toEqual([
      ["a", null, "2", null, "GENERAL"],
      ["b", null, null, null, "LARGER"],
      ["c", "3.00", null, "LATE_REPORT_HOURS", null],
    ]);
  });

  it("reads it for categories and indicators at every depth and sends it back as it is", () => {
    const template = {
      title: "T",
      year: 2026,
      totalPoints: "100.00",
      bonusCap: "5.00",
      compositeWeight: null,
      trendMinPoints: null,
      trendMinRanks: null,
      bands: null,
      grades: { excellent: "90.00", good: "80.00", qualified: "60.00", names: NO_NAMES },
      extends: null,
      vetoRules: [],
      categories: [
        {
          code: "1",
          title: "C",
          requirement: "  类别要求\n第二行  ",
          criteria: "类别标准",
          maxPoints: "20.00",
          bonus: false,
          local: false,
          bands: null,
          indicators: [indicator("1.1", long)],
          categories: [
            {
              code: "1.2",
              title: "S",
              requirement: "",
              criteria: "",
              maxPoints: "10.00",
              bonus: false,
              local: false,
              bands: null,
              indicators: [indicator("1.2.1", "子类别下指标的要求")],
            },
          ],
        },
      ],
    } as unknown as TemplateDetailFragment;
    const read = draftFromTemplate(template);
    const [cat] = read.items;
    expect(cat.requirement).toBe("  类别要求\n第二行  ");
    expect(cat.children.map((n) => [n.code, n.requirement])).toEqual([
      ["1.1", long],
      ["1.2", ""],
    ]);
    expect(cat.children[1].children[0].requirement).toBe("子类别下指标的要求");

    const sent = contentInput(read).items[0];
    // Kept beside the criteria, not trimmed (a paragraph's layout is its author's).
    expect([sent.requirement, sent.criteria]).toEqual(["  类别要求\n第二行  ", "类别标准"]);
    expect(sent.children!.map((c) => c.requirement)).toEqual([long, ""]);
    expect(sent.children![1].children![0].requirement).toBe("子类别下指标的要求");
  });

  it("starts blank on new items and is sent as an empty string", () => {
    const cat = blankNode("CATEGORY");
    const ind = blankNode("INDICATOR");
    expect([cat.requirement, ind.requirement]).toEqual(["", ""]);
    const sent = contentInput({ ...draft(), items: addNode([cat], cat.key, ind) }).items[0];
    expect([sent.requirement, sent.children![0].requirement]).toEqual(["", ""]);
  });
});

describe("grades", () => {
  it("reads a template's grade names and missing grades and sends them back", () => {
    const template = {
      title: "T",
      year: 2026,
      totalPoints: "1000.00",
      bonusCap: "0.00",
      compositeWeight: null,
      language: "ZH",
      trendMinPoints: null,
      trendMinRanks: null,
      bands: null,
      grades: {
        excellent: null,
        good: "750.00",
        qualified: "600.00",
        names: { excellent: null, good: "一级", qualified: "二级", unqualified: "不达标" },
      },
      extends: null,
      vetoRules: [],
      categories: [],
    } as unknown as TemplateDetailFragment;
    const read = draftFromTemplate(template);
    expect([read.gradeExcellent, read.gradeGood]).toEqual(["", "750.00"]);
    expect(read.gradeNames).toEqual({ excellent: "", good: "一级", qualified: "二级", unqualified: "不达标" });
    const sent = contentInput({ ...read, gradeNames: { ...read.gradeNames, qualified: " 三级 " } });
    // A blank threshold is no such grade; names are sent trimmed, blank ones as "".
    expect([sent.gradeExcellent, sent.gradeGood, sent.gradeQualified]).toEqual([null, "750.00", "600.00"]);
    expect(sent.gradeNames).toEqual({ excellent: "", good: "一级", qualified: "三级", unqualified: "不达标" });
    expect(sent.language).toBe("ZH");
  });
});

describe("points and problems", () => {
  it("adds up children and non-bonus categories", () => {
    const a = { ...blankNode("CATEGORY"), maxPoints: "60.5" };
    const b = { ...blankNode("CATEGORY"), maxPoints: "39.5" };
    const bonus = { ...blankNode("CATEGORY", true), maxPoints: "5" };
    expect(categoriesSum([a, b, bonus])).toBe("100.00");
    const items = updateNode([a], a.key, { children: [{ ...blankNode("INDICATOR"), maxPoints: "0.1" }, { ...blankNode("INDICATOR"), maxPoints: "0.2" }] });
    expect(childrenSum(items[0])).toBe("0.30");
  });

  it("maps problem fields onto tree nodes", () => {
    const map = problemsByField([
      { field: "input.content.items[1].children[0].maxPoints", message: "too many" },
      { field: "content.items[1]", message: "adds up to 50" },
      { field: "content.items[1].children[0].clauses[0].key", message: "dup" },
      { field: null, message: "whole" },
    ]);
    expect(map.get("content.items[1].children[0].maxPoints")).toEqual(["too many"]);
    expect(map.get("")).toEqual(["whole"]);
    expect(nodeProblems(map, "content.items[1]")).toEqual(["adds up to 50"]);
    expect(nodeProblems(map, "content.items[1].children[0]")).toEqual(["too many", "dup"]);
    expect(itemIndexPath("content.items[1].children[0].clauses[0].key")).toEqual([1, 0]);
    expect(itemIndexPath("content.items[12]")).toEqual([12]);
    expect(itemIndexPath("content.totalPoints")).toBeNull();
  });
});

describe("rules of consequence", () => {
  it("numbers a new veto V… and a new yellow card Y…, never reusing a code", () => {
    const rules = [
      { ...blankRule([], "VETO") },
      { ...blankRule([], "YELLOW_CARD"), code: "Y2" },
    ];
    expect(rules.map((r) => r.code)).toEqual(["V1", "Y2"]);
    expect(blankRule(rules, "VETO").code).toBe("V2");
    expect(blankRule(rules, "YELLOW_CARD").code).toBe("Y3");
    expect(blankRule(rules, "YELLOW_CARD")).toMatchObject({ severity: "YELLOW_CARD", kind: "MANUAL", threshold: null });
  });

  it("keeps a threshold only for the kinds that fire at one, starting at 2", () => {
    const yellow = blankRule([], "YELLOW_CARD");
    const deaths = withKind(yellow, "ACCIDENT_DEATHS");
    expect(deaths.threshold).toBe(2);
    expect(withKind({ ...deaths, threshold: 5 }, "OVERDUE_TASKS").threshold).toBe(5);
    expect(withKind(deaths, "PREVIOUS_CRITICISM").threshold).toBeNull();
  });

  it("sends severity and threshold as the API takes them", () => {
    const rule = { ...withKind(blankRule([], "YELLOW_CARD"), "OVERDUE_TASKS"), title: " 逾期任务 " };
    const [sent] = contentInput({ ...draft(), vetoRules: [rule] }).vetoRules!;
    expect(sent).toEqual({ code: "Y1", title: "逾期任务", text: "", kind: "OVERDUE_TASKS", severity: "YELLOW_CARD", threshold: 2 });
  });
});

describe("consequence policy", () => {
  const template = (consequences: unknown) =>
    ({
      title: "T",
      year: 2026,
      totalPoints: "100.00",
      bonusCap: "0.00",
      compositeWeight: null,
      language: "ZH",
      trendMinPoints: null,
      trendMinRanks: null,
      bands: null,
      grades: { excellent: "90.00", good: "80.00", qualified: "60.00", names: NO_NAMES },
      extends: null,
      vetoRules: [],
      categories: [],
      consequences,
    }) as unknown as TemplateDetailFragment;

  it("keeps the template's policy when a draft is saved unchanged", () => {
    const policy = {
      commendationQuota: 2,
      criticiseOn: ["UNQUALIFIED", "VETO"],
      interviewOn: ["VETO", "YELLOW_CARD", "OVERDUE_MAJOR_HAZARDS"],
      ineligibleMonths: 12,
      retroactiveYears: 3,
    };
    const read = draftFromTemplate(template(policy));
    expect(read.consequences.commendationQuota).toBe(2);
    // Triggers go back in their usual order.
    expect(contentInput(read).consequences).toEqual({
      commendationQuota: 2,
      criticiseOn: ["VETO", "UNQUALIFIED"],
      interviewOn: ["VETO", "YELLOW_CARD", "OVERDUE_MAJOR_HAZARDS"],
      ineligibleMonths: 12,
      retroactiveYears: 3,
    });
    expect(consequencesShown(read.consequences).retroactiveYears).toBe(3);
  });

  it("sends a blank quota as every excellent unit, blank months as the default, no trigger as none", () => {
    const read = draftFromTemplate(template(null));
    expect(read.consequences).toEqual(DEFAULT_CONSEQUENCES);
    const edited = {
      ...read.consequences,
      commendationQuota: null,
      ineligibleMonths: null,
      criticiseOn: [],
      retroactiveYears: null,
    };
    expect(contentInput({ ...read, consequences: edited }).consequences).toEqual({
      commendationQuota: null,
      criticiseOn: [],
      interviewOn: ["VETO", "YELLOW_CARD"],
      ineligibleMonths: null,
      retroactiveYears: null,
    });
    expect(consequencesShown(edited).ineligibleMonths).toBe(12);
    // Blank years: no late veto.
    expect(consequencesShown(edited).retroactiveYears).toBe(0);
  });
});

/** A 10-point template whose one category (coded `code`) holds `ind`, as the API gives it. */
function templateOf(code: string, ind: object): TemplateDetailFragment {
  return {
    title: "T",
    year: 2026,
    totalPoints: "10.00",
    bonusCap: "0.00",
    compositeWeight: null,
    trendMinPoints: null,
    trendMinRanks: null,
    bands: null,
    grades: { excellent: "9.00", good: "8.00", qualified: "6.00", names: NO_NAMES },
    extends: null,
    vetoRules: [],
    categories: [
      { code, title: "C", requirement: "", criteria: "", maxPoints: "10.00", bonus: false, local: false, bands: null, indicators: [ind], categories: [] },
    ],
  } as unknown as TemplateDetailFragment;
}
