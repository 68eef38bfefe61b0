// The editor's model of a template: the tree read from the API, edits on it by node key, the
// content input sent back, and the API's problem paths mapped onto the tree.
import type {
  ClauseKind,
  ScoringMethod,
  TemplateContentInput,
  TemplateDetailFragment,
  TemplateItemInput,
  VetoKind,
} from "../../gql/graphql";

export type TierDraft = { minValue: string; points: string };
export type ClauseDraft = {
  key: string;
  kind: ClauseKind;
  text: string;
  points: string;
  threshold: string;
  fact: string;
};
export type ItemNode = {
  key: string;
  kind: "CATEGORY" | "INDICATOR";
  code: string;
  title: string;
  criteria: string;
  maxPoints: string;
  bonus: boolean;
  local: boolean;
  method: ScoringMethod | null;
  target: string;
  floor: string;
  tiers: TierDraft[];
  clauses: ClauseDraft[];
  required: boolean;
  source: string;
  /** The province's item in a city's local template: kept as it is. */
  locked: boolean;
  children: ItemNode[];
};
export type VetoDraft = { code: string; title: string; text: string; kind: VetoKind };
export type Draft = {
  title: string;
  year: number | null;
  totalPoints: string;
  bonusCap: string;
  gradeExcellent: string;
  gradeGood: string;
  gradeQualified: string;
  compositeWeight: string;
  items: ItemNode[];
  vetoRules: VetoDraft[];
};

export const METHODS: ScoringMethod[] = ["MANUAL", "DEDUCTION", "RATIO", "TIERS", "BOOLEAN", "BONUS"];
export const CLAUSE_KINDS: ClauseKind[] = ["ZERO", "FIXED", "PER_OCCURRENCE", "CASCADE"];
export const VETO_KINDS: VetoKind[] = [
  "MANUAL",
  "LARGER_ACCIDENT",
  "CONCEALED_ACCIDENT",
  "LATE_REPORTED_ACCIDENT",
  "OVERDUE_MAJOR_HAZARD",
];
/** Where an indicator's input may come from (README "Ledgers"): the unit, or a ledger figure. */
export const SOURCES = [
  "self",
  "hazard_rectification_rate",
  "major_hazard_rectification_rate",
  "overdue_hazards",
  "overdue_major_hazards",
  "task_completion_rate",
  "overdue_task_elements",
  "accidents",
  "accident_deaths",
  "statement_coverage",
];
/** Methods a ledger figure can feed (a value or counts). */
export const LEDGER_METHODS: ScoringMethod[] = ["RATIO", "TIERS", "DEDUCTION"];
/** Category levels the editor reads back (the API's depth limit). */
export const MAX_DEPTH = 3;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `n${counter}`;
}

type Indicator = TemplateDetailFragment["categories"][number]["indicators"][number];
type Category = {
  code: string;
  title: string;
  criteria: string;
  maxPoints: string;
  bonus: boolean;
  local: boolean;
  indicators: Indicator[];
  categories?: Category[];
};

function indicatorNode(i: Indicator, extension: boolean): ItemNode {
  return {
    key: newKey(),
    kind: "INDICATOR",
    code: i.code,
    title: i.title,
    criteria: i.criteria,
    maxPoints: i.maxPoints,
    bonus: false,
    local: false,
    method: i.method,
    target: i.target ?? "",
    floor: i.floor ?? "",
    tiers: i.tiers.map((t) => ({ minValue: t.minValue, points: t.points })),
    clauses: i.clauses.map((c) => ({
      key: c.key,
      kind: c.kind,
      text: c.text,
      points: c.points,
      threshold: c.threshold ?? "",
      fact: c.fact ?? "",
    })),
    required: i.required,
    source: i.source,
    locked: extension && !i.addedBy,
    children: [],
  };
}

function categoryNode(c: Category, extension: boolean): ItemNode {
  return {
    ...blankNode("CATEGORY"),
    code: c.code,
    title: c.title,
    criteria: c.criteria,
    maxPoints: c.maxPoints,
    bonus: c.bonus,
    local: c.local,
    locked: extension,
    children: [
      ...c.indicators.map((i) => indicatorNode(i, extension)),
      ...(c.categories ?? []).map((s) => categoryNode(s, extension)),
    ],
  };
}

export function blankNode(kind: ItemNode["kind"], bonus = false): ItemNode {
  return {
    key: newKey(),
    kind,
    code: "",
    title: "",
    criteria: "",
    maxPoints: "",
    bonus: kind === "CATEGORY" && bonus,
    local: false,
    method: kind === "INDICATOR" ? (bonus ? "BONUS" : "MANUAL") : null,
    target: "",
    floor: "",
    tiers: [],
    clauses: [],
    required: !bonus,
    source: "self",
    locked: false,
    children: [],
  };
}

export function draftFromTemplate(t: TemplateDetailFragment): Draft {
  const extension = Boolean(t.extends);
  return {
    title: t.title,
    year: t.year,
    totalPoints: t.totalPoints,
    bonusCap: t.bonusCap,
    gradeExcellent: t.grades.excellent,
    gradeGood: t.grades.good,
    gradeQualified: t.grades.qualified,
    compositeWeight: t.compositeWeight ?? "",
    items: t.categories.map((c) => categoryNode(c, extension)),
    vetoRules: t.vetoRules.map((r) => ({ code: r.code, title: r.title, text: r.text, kind: r.kind })),
  };
}

const blank = (value: string): string | null => (value.trim() === "" ? null : value.trim());

function itemInput(node: ItemNode): TemplateItemInput {
  const indicator = node.kind === "INDICATOR";
  const method = indicator ? node.method : null;
  return {
    code: node.code.trim(),
    title: node.title.trim(),
    kind: node.kind,
    maxPoints: node.maxPoints.trim() || "0",
    criteria: node.criteria,
    bonus: !indicator && node.bonus,
    local: !indicator && node.local,
    method,
    target: method === "RATIO" ? blank(node.target) : null,
    floor: method === "RATIO" ? blank(node.floor) : null,
    tiers:
      method === "TIERS"
        ? node.tiers.map((t) => ({ minValue: t.minValue.trim() || "0", points: t.points.trim() || "0" }))
        : [],
    clauses:
      method === "DEDUCTION"
        ? node.clauses.map((c) => ({
            key: c.key.trim(),
            kind: c.kind,
            text: c.text,
            points: c.kind === "ZERO" ? "0" : c.points.trim() || "0",
            threshold: c.kind === "CASCADE" ? blank(c.threshold) : null,
            fact: blank(c.fact),
          }))
        : [],
    required: indicator ? node.required : true,
    source: indicator ? node.source : "self",
    children: indicator ? [] : node.children.map(itemInput),
  };
}

/** The whole document for createTemplate / updateTemplateDraft. */
export function contentInput(draft: Draft): TemplateContentInput {
  return {
    title: draft.title.trim(),
    year: draft.year ?? 0,
    totalPoints: draft.totalPoints.trim() || "0",
    bonusCap: draft.bonusCap.trim() || "0",
    gradeExcellent: draft.gradeExcellent.trim() || "0",
    gradeGood: draft.gradeGood.trim() || "0",
    gradeQualified: draft.gradeQualified.trim() || "0",
    compositeWeight: blank(draft.compositeWeight),
    items: draft.items.map(itemInput),
    vetoRules: draft.vetoRules.map((r) => ({
      code: r.code.trim(),
      title: r.title.trim(),
      text: r.text,
      kind: r.kind,
    })),
  };
}
