// The form's pure logic: server entries <-> form rows, the rows that changed as saveEntries input,
// payload errors moved onto the form's rows, the category tree, and who may edit.
import type { UserError } from "../../api/errors";
import type {
  AssessmentEntryFragment,
  AssessmentState,
  CycleState,
  EntryInput,
} from "../../gql/graphql";

export type Entry = AssessmentEntryFragment;
export type Indicator = Entry["indicator"];

/** One indicator's inputs as the form holds them (form path: ["entries", index, field]). */
export type EntryRow = {
  points: string | null;
  value: string | null;
  done: boolean | null;
  counts: Record<string, number | null>;
  notApplicable: boolean;
  notApplicableReason: string;
  note: string;
};

/** Whether the unit enters the indicator's input itself (not fed by a ledger figure). */
export function selfEntered(indicator: Pick<Indicator, "source">): boolean {
  return indicator.source === "self";
}

/** "5.70" -> "5.7", "10.00" -> "10", " 3 " -> "3"; empty -> null. */
export function plainDecimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let text = String(value).trim();
  if (text === "") return null;
  if (/^-?\d+\.\d*$/.test(text)) text = text.replace(/0+$/, "").replace(/\.$/, "");
  if (text === "-0") return "0";
  return text;
}

export function rowFromEntry(entry: Entry): EntryRow {
  const counts: Record<string, number | null> = {};
  for (const clause of entry.indicator.clauses) {
    counts[clause.key] = entry.counts.find((c) => c.key === clause.key)?.count ?? 0;
  }
  return {
    points: entry.points,
    value: entry.value,
    done: entry.done,
    counts,
    notApplicable: entry.notApplicable,
    notApplicableReason: entry.notApplicableReason ?? "",
    note: entry.note ?? "",
  };
}

/** The whole saveEntries input of one row: only the field the indicator's method reads. */
export function inputFromRow(indicator: Indicator, row: Partial<EntryRow>): EntryInput {
  const input: EntryInput = {
    itemCode: indicator.code,
    notApplicable: Boolean(row.notApplicable),
    notApplicableReason: row.notApplicable ? (row.notApplicableReason ?? "").trim() || null : null,
    note: (row.note ?? "").trim(),
  };
  if (!selfEntered(indicator)) return input;
  switch (indicator.method) {
    case "MANUAL":
    case "BONUS":
      input.points = plainDecimal(row.points);
      break;
    case "RATIO":
    case "TIERS":
      input.value = plainDecimal(row.value);
      break;
    case "BOOLEAN":
      input.done = row.done ?? null;
      break;
    case "DEDUCTION": {
      const counts = indicator.clauses
        .map((clause) => ({ key: clause.key, count: Number(row.counts?.[clause.key] ?? 0) }))
        .filter((c) => c.count > 0);
      input.counts = counts.length ? counts : null;
      break;
    }
  }
  return input;
}

function same(a: EntryInput, b: EntryInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The rows the user changed, as saveEntries input, and each one's index among all entries. */
export function changedInputs(
  entries: readonly Entry[],
  rows: readonly (Partial<EntryRow> | undefined)[],
): { inputs: EntryInput[]; indexes: number[] } {
  const inputs: EntryInput[] = [];
  const indexes: number[] = [];
  entries.forEach((entry, index) => {
    const row = rows[index];
    if (!row) return;
    const before = inputFromRow(entry.indicator, rowFromEntry(entry));
    const after = inputFromRow(entry.indicator, row);
    if (!same(before, after)) {
      inputs.push(after);
      indexes.push(index);
    }
  });
  return { inputs, indexes };
}

/**
 * Payload errors named after the sent list (`entries[1].points`) renamed after the form's rows
 * (`entries[7].points`); a `counts` error goes beside the indicator's first clause.
 */
export function remapErrors(
  errors: readonly UserError[],
  indexes: readonly number[],
  entries: readonly Entry[],
): UserError[] {
  return errors.map((error) => {
    const match = error.field?.match(/^entries\[(\d+)\](.*)$/);
    if (!match) return error;
    const index = indexes[Number(match[1])];
    if (index === undefined) return error;
    let rest = match[2];
    const first = entries[index]?.indicator.clauses[0]?.key;
    if (rest === ".counts" && first !== undefined) rest = `.counts.${first}`;
    return { ...error, field: `entries[${index}]${rest}` };
  });
}

/** The index of the entry an error names (`entries[7].points` -> 7), or null. */
export function entryIndexOf(error: UserError): number | null {
  const match = error.field?.match(/^entries\[(\d+)\]/);
  return match ? Number(match[1]) : null;
}

/** Whether the unit has given what the indicator needs (the server's rule for submitting). */
export function isFilled(indicator: Indicator, row: Partial<EntryRow> | undefined): boolean {
  if (indicator.method === "DEDUCTION" || !selfEntered(indicator)) return true;
  if (!row) return false;
  if (row.notApplicable && (row.notApplicableReason ?? "").trim()) return true;
  if (indicator.method === "MANUAL" || indicator.method === "BONUS") return plainDecimal(row.points) !== null;
  if (indicator.method === "RATIO" || indicator.method === "TIERS") return plainDecimal(row.value) !== null;
  return row.done !== null && row.done !== undefined;
}

export type CategoryNode = {
  code: string;
  title: string;
  maxPoints: string;
  bonus: boolean;
  categories?: CategoryNode[] | null;
};

/** A category of the form: its own indicators (entry indexes) and its subcategories. */
export type Section = {
  code: string;
  title: string;
  maxPoints: string | null;
  bonus: boolean;
  indexes: number[];
  children: Section[];
};

/** The template's categories with each entry under its category, in template order; entries of
 * an unknown category are gathered in a last section with an empty code. */
export function buildSections(categories: readonly CategoryNode[], entries: readonly Entry[]): Section[] {
  const byCode = new Map<string, Section>();
  const make = (node: CategoryNode): Section => {
    const section: Section = {
      code: node.code,
      title: node.title,
      maxPoints: node.maxPoints,
      bonus: node.bonus,
      indexes: [],
      children: (node.categories ?? []).map(make),
    };
    byCode.set(node.code, section);
    return section;
  };
  const sections = categories.map(make);
  const orphans: number[] = [];
  entries.forEach((entry, index) => {
    const section = byCode.get(entry.indicator.categoryCode ?? "");
    if (section) section.indexes.push(index);
    else orphans.push(index);
  });
  if (orphans.length) {
    sections.push({ code: "", title: "", maxPoints: null, bonus: false, indexes: orphans, children: [] });
  }
  return sections;
}

/** Every entry index in a section and its subcategories. */
export function indexesIn(section: Section): number[] {
  return [...section.indexes, ...section.children.flatMap(indexesIn)];
}

export const EDITABLE_STATES: readonly AssessmentState[] = ["DRAFT", "RETURNED"];

/** The unit's submitter may change it while it is a draft or returned, in an open cycle. */
export function canEdit(
  state: AssessmentState,
  cycleState: CycleState,
  roles: readonly { role: string; node: { id: string } }[],
  unitId: string,
): boolean {
  return (
    EDITABLE_STATES.includes(state) &&
    cycleState === "OPEN" &&
    roles.some((grant) => grant.role === "SUBMITTER" && grant.node.id === unitId)
  );
}
