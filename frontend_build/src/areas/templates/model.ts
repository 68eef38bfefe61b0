// The editor's model of a template: the tree read from the API, edits on it by node key, the
// content input sent back, and the API's problem paths mapped onto the tree.
import type {
  AccidentClass,
  AccidentMeasure,
  BandsFieldsFragment,
  BandsInput,
  ClauseKind,
  ClauseScope,
  ConsequencePolicyFieldsFragment,
  ConsequencePolicyInput,
  ConsequenceTrigger,
  ExplanationLanguage,
  ScoringMethod,
  TemplateContentInput,
  TemplateDetailFragment,
  TemplateItemInput,
  RuleSeverity,
  TenantLevel,
  VetoKind,
} from "../../gql/graphql";
import { CONSEQUENCE_TRIGGERS } from "../../components/consequencePolicy";
import { LEVELS } from "../../kinds";

export type TierDraft = { minValue: string; points: string };
export type ClauseDraft = {
  key: string;
  kind: ClauseKind;
  text: string;
  points: string;
  threshold: string;
  fact: string;
  /** EXTRA: where its extra points come off (CATEGORY or TEMPLATE); else ITEM. */
  scope: ClauseScope;
  /** How far `fact` is one fact. */
  factScope: ClauseScope;
  /** PER_OCCURRENCE: the most it deducts (最多扣N分); "" none. */
  cap: string;
  /** PER_OCCURRENCE: each repeat deducts points times this (2: 加倍扣分); "" every one the same. */
  repeatFactor: string;
  /** Fed by the accident ledger: what it counts (null: accidents). */
  accidentMeasure: AccidentMeasure | null;
  /** Fed by the accident ledger: the class it counts (null: every class). */
  accidentClass: AccidentClass | null;
};
/** A level's own colour-band thresholds (percents of the maximum). */
export type LevelBandsDraft = { level: TenantLevel; green: string; yellow: string };
/** Colour bands as edited: a default for every level (both blank: none) and level overrides. */
export type BandsDraft = { green: string; yellow: string; levels: LevelBandsDraft[] };
export type ItemNode = {
  key: string;
  kind: "CATEGORY" | "INDICATOR";
  code: string;
  title: string;
  /** What the standard requires (考评内容): often a long paragraph. */
  requirement: string;
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
  /** Its own colour bands, before the template's. */
  bands: BandsDraft;
  /** The province's item in a city's local template: kept as it is. */
  locked: boolean;
  children: ItemNode[];
};
/** A rule of consequence: a veto or a yellow card; `threshold` for the kinds that fire at one. */
export type VetoDraft = {
  code: string;
  title: string;
  text: string;
  kind: VetoKind;
  severity: RuleSeverity;
  threshold: number | null;
};
/** The consequence policy (奖惩规则) as edited: a blank quota commends every eligible excellent
 * unit; blank months keep the default (12); blank years (of a late veto) are 0, none. */
export type ConsequencesDraft = {
  commendationQuota: number | null;
  criticiseOn: ConsequenceTrigger[];
  interviewOn: ConsequenceTrigger[];
  ineligibleMonths: number | null;
  retroactiveYears: number | null;
};
export type GradeNamesDraft = { excellent: string; good: string; qualified: string; unqualified: string };
export const GRADE_KEYS = ["excellent", "good", "qualified", "unqualified"] as const;
export type Draft = {
  title: string;
  year: number | null;
  totalPoints: string;
  bonusCap: string;
  gradeExcellent: string;
  gradeGood: string;
  gradeQualified: string;
  compositeWeight: string;
  language: ExplanationLanguage;
  /** What the template calls its grades; "" keeps the usual word. */
  gradeNames: GradeNamesDraft;
  bands: BandsDraft;
  trendMinPoints: string;
  trendMinRanks: number | null;
  items: ItemNode[];
  vetoRules: VetoDraft[];
  consequences: ConsequencesDraft;
};

export const METHODS: ScoringMethod[] = ["MANUAL", "DEDUCTION", "RATIO", "TIERS", "BOOLEAN", "BONUS"];
export const CLAUSE_KINDS: ClauseKind[] = ["ZERO", "FIXED", "PER_OCCURRENCE", "CASCADE", "EXTRA", "JUDGEMENT"];
export const CLAUSE_SCOPES: ClauseScope[] = ["ITEM", "CATEGORY", "TEMPLATE"];
/** Where an extra clause's points may come off: beyond its item. */
export const EXTRA_SCOPES: ClauseScope[] = ["CATEGORY", "TEMPLATE"];
/** What a clause fed by the accident ledger counts of the unit's accidents. */
export const ACCIDENT_MEASURES: AccidentMeasure[] = ["ACCIDENTS", "DEATHS", "LATE_REPORT_HOURS"];
/** The accident classes a clause may count, from the least severe. */
export const ACCIDENT_CLASSES: AccidentClass[] = ["GENERAL", "LARGER", "MAJOR", "ESPECIALLY_SERIOUS"];
/** The source whose clauses count accidents by measure and class. */
export const ACCIDENT_SOURCE = "accidents";

/** A new clause of the editor. */
export function blankClause(key: string, kind: ClauseKind, points = "1"): ClauseDraft {
  return {
    key,
    kind,
    text: "",
    points,
    threshold: "",
    fact: "",
    scope: "ITEM",
    factScope: "ITEM",
    cap: "",
    repeatFactor: "",
    accidentMeasure: null,
    accidentClass: null,
  };
}
export const VETO_KINDS: VetoKind[] = [
  "MANUAL",
  "LARGER_ACCIDENT",
  "CONCEALED_ACCIDENT",
  "LATE_REPORTED_ACCIDENT",
  "OVERDUE_MAJOR_HAZARD",
  "ACCIDENT_DEATHS",
  "OVERDUE_TASKS",
  "PREVIOUS_CRITICISM",
  "REPEATED_YELLOW_CARD",
];
export const RULE_SEVERITIES: RuleSeverity[] = ["VETO", "YELLOW_CARD"];
/** The kinds that fire at a number (deaths, overdue task elements): the rule's threshold. */
export const THRESHOLD_KINDS: ReadonlySet<VetoKind> = new Set<VetoKind>(["ACCIDENT_DEATHS", "OVERDUE_TASKS"]);

/** A new rule of the editor: a veto, or a yellow card (coded Y1, Y2, ...). */
export function blankRule(rules: VetoDraft[], severity: RuleSeverity): VetoDraft {
  const prefix = severity === "YELLOW_CARD" ? "Y" : "V";
  const used = new Set(rules.map((r) => r.code));
  let n = rules.filter((r) => r.severity === severity).length + 1;
  while (used.has(`${prefix}${n}`)) n += 1;
  return { code: `${prefix}${n}`, title: "", text: "", kind: "MANUAL", severity, threshold: null };
}

/** A rule after its kind changed: a threshold only where the kind takes one (2 to start). */
export function withKind(rule: VetoDraft, kind: VetoKind): VetoDraft {
  const threshold = THRESHOLD_KINDS.has(kind) ? (rule.threshold ?? 2) : null;
  return { ...rule, kind, threshold };
}
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
/** The levels colour bands may be set for, from the top. */
/** The longest requirement (考评内容) the editor takes, in characters. */
export const REQUIREMENT_MAX = 20_000;
/** Category levels the editor reads back (the API's depth limit). */
export const MAX_DEPTH = 3;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `n${counter}`;
}

export function blankBands(): BandsDraft {
  return { green: "", yellow: "", levels: [] };
}

/** The API's bands as the editor's draft (null: none set). */
export function bandsDraft(bands: BandsFieldsFragment | null | undefined): BandsDraft {
  if (!bands) return blankBands();
  return {
    green: bands.green ?? "",
    yellow: bands.yellow ?? "",
    levels: bands.levels.map((l) => ({ level: l.level, green: l.green, yellow: l.yellow })),
  };
}

/** The first level without thresholds of its own yet (null: every level has them). */
export function nextLevel(bands: BandsDraft): TenantLevel | null {
  return LEVELS.find((level) => !bands.levels.some((l) => l.level === level)) ?? null;
}

type Indicator = TemplateDetailFragment["categories"][number]["indicators"][number];
type Category = {
  code: string;
  title: string;
  requirement: string;
  criteria: string;
  maxPoints: string;
  bonus: boolean;
  local: boolean;
  bands?: BandsFieldsFragment | null;
  indicators: Indicator[];
  categories?: Category[];
};

function indicatorNode(i: Indicator, extension: boolean): ItemNode {
  return {
    key: newKey(),
    kind: "INDICATOR",
    code: i.code,
    title: i.title,
    requirement: i.requirement,
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
      scope: c.scope ?? "ITEM",
      factScope: c.factScope ?? "ITEM",
      cap: c.cap ?? "",
      repeatFactor: c.repeatFactor ?? "",
      accidentMeasure: c.accidentMeasure ?? null,
      accidentClass: c.accidentClass ?? null,
    })),
    required: i.required,
    source: i.source,
    bands: bandsDraft(i.bands),
    locked: extension && !i.addedBy,
    children: [],
  };
}

function categoryNode(c: Category, extension: boolean): ItemNode {
  return {
    ...blankNode("CATEGORY"),
    code: c.code,
    title: c.title,
    requirement: c.requirement,
    criteria: c.criteria,
    maxPoints: c.maxPoints,
    bonus: c.bonus,
    local: c.local,
    bands: bandsDraft(c.bands),
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
    requirement: "",
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
    bands: blankBands(),
    locked: false,
    children: [],
  };
}

/** How long a veto bars a unit's leaders when the template does not say (months). */
export const DEFAULT_INELIGIBLE_MONTHS = 12;

/** The policy a template without one has (Hunan's measures, as the API's defaults). */
export const DEFAULT_CONSEQUENCES: ConsequencesDraft = {
  commendationQuota: null,
  criticiseOn: ["VETO", "UNQUALIFIED"],
  interviewOn: ["VETO", "YELLOW_CARD"],
  ineligibleMonths: DEFAULT_INELIGIBLE_MONTHS,
  retroactiveYears: 0,
};

/** The API's policy as the editor's draft (none read: the defaults). */
export function consequencesDraft(policy: ConsequencePolicyFieldsFragment | null | undefined): ConsequencesDraft {
  if (!policy) return { ...DEFAULT_CONSEQUENCES };
  return {
    commendationQuota: policy.commendationQuota ?? null,
    criticiseOn: [...policy.criticiseOn],
    interviewOn: [...policy.interviewOn],
    ineligibleMonths: policy.ineligibleMonths,
    retroactiveYears: policy.retroactiveYears,
  };
}

const ordered = (triggers: readonly ConsequenceTrigger[]) => CONSEQUENCE_TRIGGERS.filter((t) => triggers.includes(t));

/** The policy as ConsequencePolicyInput: triggers in their usual order, every field sent (a
 * blank quota is null, every excellent unit; blank months are null, the default; blank years
 * are null, no late veto). */
export function consequencesInput(policy: ConsequencesDraft): ConsequencePolicyInput {
  return {
    commendationQuota: policy.commendationQuota,
    criticiseOn: ordered(policy.criticiseOn),
    interviewOn: ordered(policy.interviewOn),
    ineligibleMonths: policy.ineligibleMonths,
    retroactiveYears: policy.retroactiveYears,
  };
}

/** The policy the draft would save, as the API reads it back (blank months: the default; blank
 * years: 0). */
export function consequencesShown(policy: ConsequencesDraft): ConsequencePolicyFieldsFragment {
  return {
    commendationQuota: policy.commendationQuota,
    criticiseOn: ordered(policy.criticiseOn),
    interviewOn: ordered(policy.interviewOn),
    ineligibleMonths: policy.ineligibleMonths ?? DEFAULT_INELIGIBLE_MONTHS,
    retroactiveYears: policy.retroactiveYears ?? 0,
  };
}

export function draftFromTemplate(t: TemplateDetailFragment): Draft {
  const extension = Boolean(t.extends);
  return {
    title: t.title,
    year: t.year,
    totalPoints: t.totalPoints,
    bonusCap: t.bonusCap,
    // Blank: the template has no such grade (fewer grades).
    gradeExcellent: t.grades.excellent ?? "",
    gradeGood: t.grades.good ?? "",
    gradeQualified: t.grades.qualified,
    compositeWeight: t.compositeWeight ?? "",
    language: t.language,
    gradeNames: {
      excellent: t.grades.names.excellent ?? "",
      good: t.grades.names.good ?? "",
      qualified: t.grades.names.qualified ?? "",
      unqualified: t.grades.names.unqualified ?? "",
    },
    bands: bandsDraft(t.bands),
    trendMinPoints: t.trendMinPoints ?? "",
    trendMinRanks: t.trendMinRanks ?? null,
    items: t.categories.map((c) => categoryNode(c, extension)),
    vetoRules: t.vetoRules.map((r) => ({
      code: r.code,
      title: r.title,
      text: r.text,
      kind: r.kind,
      severity: r.severity,
      threshold: r.threshold ?? null,
    })),
    consequences: consequencesDraft(t.consequences),
  };
}

const blank = (value: string): string | null => (value.trim() === "" ? null : value.trim());

/** The bands as BandsInput; null when nothing is set. A half-given default is sent as it is
 * (the API names the missing threshold). */
export function bandsInput(bands: BandsDraft): BandsInput | null {
  const green = blank(bands.green);
  const yellow = blank(bands.yellow);
  if (green === null && yellow === null && bands.levels.length === 0) return null;
  return {
    green,
    yellow,
    levels: bands.levels.map((l) => ({ level: l.level, green: l.green.trim(), yellow: l.yellow.trim() })),
  };
}

/** The thresholds of level rows left blank, as API field paths: a level needs both, and a
 * blank cannot be sent as a number. */
export function blankBandFields(draft: Draft): string[] {
  const found: string[] = [];
  const check = (bands: BandsDraft, path: string) =>
    bands.levels.forEach((l, i) => {
      if (!l.green.trim()) found.push(`${path}.levels[${i}].green`);
      if (!l.yellow.trim()) found.push(`${path}.levels[${i}].yellow`);
    });
  const walk = (items: ItemNode[], parent: string | null) =>
    items.forEach((node, i) => {
      const path = parent === null ? `content.items[${i}]` : `${parent}.children[${i}]`;
      check(node.bands, `${path}.bands`);
      walk(node.children, path);
    });
  check(draft.bands, "content.bands");
  walk(draft.items, null);
  return found;
}

/** The thresholds that apply without bands: the grade thresholds as percents of the total. */
export function gradeBands(draft: Draft): { green: string; yellow: string } | null {
  const total = Number(draft.totalPoints);
  const excellent = Number(draft.gradeExcellent);
  const qualified = Number(draft.gradeQualified);
  if (!(total > 0) || !Number.isFinite(excellent) || !Number.isFinite(qualified)) return null;
  const percent = (points: number) => String(Math.round((points * 10000) / total) / 100);
  return { green: percent(excellent), yellow: percent(qualified) };
}

function itemInput(node: ItemNode): TemplateItemInput {
  const indicator = node.kind === "INDICATOR";
  const method = indicator ? node.method : null;
  return {
    code: node.code.trim(),
    title: node.title.trim(),
    kind: node.kind,
    maxPoints: node.maxPoints.trim() || "0",
    requirement: node.requirement,
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
            scope: c.kind === "EXTRA" ? c.scope || "ITEM" : "ITEM",
            factScope: blank(c.fact) ? c.factScope || "ITEM" : "ITEM",
            cap: c.kind === "PER_OCCURRENCE" ? blank(c.cap) : null,
            repeatFactor: c.kind === "PER_OCCURRENCE" ? blank(c.repeatFactor) : null,
            accidentMeasure: node.source === ACCIDENT_SOURCE ? c.accidentMeasure : null,
            accidentClass: node.source === ACCIDENT_SOURCE ? c.accidentClass : null,
          }))
        : [],
    required: indicator ? node.required : true,
    source: indicator ? node.source : "self",
    bands: bandsInput(node.bands),
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
    gradeExcellent: blank(draft.gradeExcellent),
    gradeGood: blank(draft.gradeGood),
    gradeQualified: draft.gradeQualified.trim() || "0",
    compositeWeight: blank(draft.compositeWeight),
    language: draft.language,
    gradeNames: {
      excellent: draft.gradeNames.excellent.trim(),
      good: draft.gradeNames.good.trim(),
      qualified: draft.gradeNames.qualified.trim(),
      unqualified: draft.gradeNames.unqualified.trim(),
    },
    bands: bandsInput(draft.bands),
    trendMinPoints: blank(draft.trendMinPoints),
    trendMinRanks: draft.trendMinRanks,
    items: draft.items.map(itemInput),
    vetoRules: draft.vetoRules.map((r) => ({
      code: r.code.trim(),
      title: r.title.trim(),
      text: r.text,
      kind: r.kind,
      severity: r.severity,
      threshold: r.threshold,
    })),
    consequences: consequencesInput(draft.consequences),
  };
}
