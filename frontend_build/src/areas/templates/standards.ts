// The standard-import wizard's pure logic: the layout sent with each preview, the share of the
// criteria read, where each server error goes, and the preview's tree as table rows.
import type {
  StandardColumn,
  StandardColumnInput,
  StandardPreviewFieldsFragment,
} from "../../gql/graphql";
import type { UserError } from "../../api/errors";

export const STANDARD_COLUMNS: StandardColumn[] = [
  "ELEMENT",
  "SUBELEMENT",
  "ITEM",
  "CODE",
  "REQUIREMENT",
  "POINTS",
  "CRITERIA",
  "IGNORE",
];

/** How to read the file; null leaves it to the server to find. */
export type Layout = {
  sheet: string | null;
  headerRow: number | null;
  columns: StandardColumnInput[] | null;
};

export const AUTO_LAYOUT: Layout = { sheet: null, headerRow: null, columns: null };

/** Another sheet: its own heading row and columns, found again. */
export function withSheet(sheet: string): Layout {
  return { sheet, headerRow: null, columns: null };
}

/** Another heading row of the same sheet: its columns found again. */
export function withHeaderRow(layout: Layout, headerRow: number): Layout {
  return { sheet: layout.sheet, headerRow, columns: null };
}

/** Every column's role, the one changed included, as previewStandard takes them. */
export function columnsInput(
  columns: readonly { column: number; role: StandardColumn }[],
  changed?: { column: number; role: StandardColumn },
): StandardColumnInput[] {
  return columns.map((c) => ({
    column: c.column,
    role: changed && changed.column === c.column ? changed.role : c.role,
  }));
}

/** A column's role changed: the layout that read the preview, with every column's role. */
export function withRole(
  layout: Layout,
  preview: Pick<StandardPreviewFieldsFragment, "sheet" | "headerRow" | "columns">,
  column: number,
  role: StandardColumn,
): Layout {
  return {
    sheet: layout.sheet,
    headerRow: layout.headerRow ?? preview.headerRow,
    columns: columnsInput(preview.columns, { column, role }),
  };
}

/** The share of criteria pieces read, in percent to one decimal, rounded down so that 100 means every one (100 when there are none). */
export function percentRead(read: number, total: number): number {
  if (total <= 0) return 100;
  const percent = Math.floor((read / total) * 1000) / 10;
  return Math.min(100, Math.max(0, percent));
}

/** The errors of a preview or an import, by where they are shown. */
export type PlacedErrors = {
  file: string[];
  sheet: string[];
  headerRow: string[];
  columns: string[];
  /** Errors naming a cell ("标准!D7") or nothing in particular. */
  rest: UserError[];
};

const LAYOUT_FIELDS = ["file", "sheet", "headerRow", "columns"] as const;

/** The field an error names, without the `input.` prefix and index (`columns[2].role` -> `columns`). */
function fieldName(field: string): string {
  const name = field.startsWith("input.") ? field.slice("input.".length) : field;
  return name.split(/[.[]/)[0];
}

export function placeErrors(errors: readonly UserError[]): PlacedErrors {
  const placed: PlacedErrors = { file: [], sheet: [], headerRow: [], columns: [], rest: [] };
  for (const error of errors) {
    const name = error.field && !error.field.includes("!") ? fieldName(error.field) : null;
    const known = LAYOUT_FIELDS.find((f) => f === name);
    if (known) placed[known].push(error.message);
    else placed.rest.push(error);
  }
  return placed;
}

/** Whether an error is about the layout or the file (shown in the first steps), not the form. */
export function isLayoutError(error: UserError): boolean {
  if (!error.field) return false;
  if (error.field.includes("!")) return true;
  const name = fieldName(error.field);
  return LAYOUT_FIELDS.some((f) => f === name);
}

export type PreviewItem = StandardPreviewFieldsFragment["items"][number];

/** A category whose own cell states other points than its items add up to. */
export function statedDiffers(item: Pick<PreviewItem, "kind" | "maxPoints" | "statedPoints">): boolean {
  if (item.kind !== "CATEGORY" || item.statedPoints == null) return false;
  return Number(item.statedPoints) !== Number(item.maxPoints);
}

/** Table rows of the tree, keyed by position (codes may repeat in a failed reading). */
export function previewRows(items: readonly PreviewItem[]): (PreviewItem & { key: string })[] {
  return items.map((item, i) => ({ ...item, key: `${i}:${item.code}` }));
}

/** The families a province's author can import into: one per family code, by code. */
export function familyOptions(
  templates: readonly { family: { code: string; name: string }; owner: { id: string } | null; extends?: unknown }[],
  ownerIds: readonly string[],
): { code: string; name: string }[] {
  const byCode = new Map<string, { code: string; name: string }>();
  for (const t of templates) {
    if (t.extends || !t.owner || !ownerIds.includes(t.owner.id)) continue;
    if (!byCode.has(t.family.code)) byCode.set(t.family.code, { code: t.family.code, name: t.family.name });
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}
