// Pure rules of the scorecard matrix: its choices as a shareable query string, the API's
// variables and the Excel link built from them, band colours, how a cell reads, the drill level.
import type {
  Band,
  MatrixColumns,
  MatrixFilter,
  MatrixOrder,
  MatrixSort,
  RelativeToAverage,
  ScoreState,
  TenantLevel,
  Trend,
} from "../../gql/graphql";
import { type DashboardChoice, levelsDownTo, parseDashboard } from "./ranking";

export const MATRIX_PAGE_SIZE = 50;
export const BANDS: Band[] = ["GREEN", "YELLOW", "RED"];
const SORTS: MatrixSort[] = ["RANK", "CODE", "NAME", "COLUMN"];
const RELATIVES: RelativeToAverage[] = ["ABOVE", "BELOW"];

/** Everything the matrix screen shows, as its URL holds it (besides the page). */
export type MatrixChoice = DashboardChoice & {
  columns: MatrixColumns;
  /** With indicator columns: only those under this category. */
  category: string | null;
  sort: MatrixSort;
  /** The column's code when sorting by COLUMN. */
  sortColumn: string | null;
  descending: boolean;
  search: string;
  bands: Band[];
  vetoed: boolean | null;
  relative: RelativeToAverage | null;
  /** The column compared with its average; null: the total. */
  relativeColumn: string | null;
};

export const MATRIX_DEFAULTS: Omit<MatrixChoice, keyof DashboardChoice> = {
  columns: "CATEGORY",
  category: null,
  sort: "RANK",
  sortColumn: null,
  descending: false,
  search: "",
  bands: [],
  vetoed: null,
  relative: null,
  relativeColumn: null,
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

/** The matrix's choice from its query string; what is unknown or meaningless alone is dropped. */
export function parseMatrix(search: URLSearchParams): MatrixChoice {
  const columns = oneOf(search.get("columns"), ["CATEGORY", "INDICATOR"] as const) ?? "CATEGORY";
  const sortColumn = search.get("sortColumn") || null;
  let sort = oneOf(search.get("sort"), SORTS) ?? "RANK";
  if (sort === "COLUMN" && !sortColumn) sort = "RANK";
  const vetoed = search.get("vetoed");
  const relative = oneOf(search.get("relative"), RELATIVES);
  const bands = (search.get("bands") ?? "").split(",").map((b) => b.trim());
  return {
    ...parseDashboard(search),
    columns,
    category: columns === "INDICATOR" ? search.get("category") || null : null,
    sort,
    sortColumn: sort === "COLUMN" ? sortColumn : null,
    descending: search.get("descending") === "1",
    search: (search.get("search") ?? "").trim(),
    bands: BANDS.filter((band) => bands.includes(band)),
    vetoed: vetoed === "1" ? true : vetoed === "0" ? false : null,
    relative,
    relativeColumn: relative ? search.get("relativeColumn") || null : null,
  };
}

/** The options a choice holds besides the defaults, as the Excel link and the URL name them. */
function optionParams(choice: MatrixChoice, params: URLSearchParams) {
  if (choice.columns === "INDICATOR" && choice.category) params.set("category", choice.category);
  if (choice.sort !== "RANK") params.set("sort", choice.sort);
  if (choice.sort === "COLUMN" && choice.sortColumn) params.set("sortColumn", choice.sortColumn);
  if (choice.descending) params.set("descending", "1");
  if (choice.search.trim()) params.set("search", choice.search.trim());
  if (choice.bands.length) params.set("bands", BANDS.filter((b) => choice.bands.includes(b)).join(","));
  if (choice.vetoed !== null) params.set("vetoed", choice.vetoed ? "1" : "0");
  if (choice.relative) {
    params.set("relative", choice.relative);
    if (choice.relativeColumn) params.set("relativeColumn", choice.relativeColumn);
  }
}

/** The query string of a choice, defaults left out, to share or to come back to. */
export function matrixSearch(choice: MatrixChoice): URLSearchParams {
  const params = new URLSearchParams();
  if (choice.cycle) params.set("cycle", choice.cycle);
  if (choice.scope) params.set("scope", choice.scope);
  if (choice.level) params.set("level", choice.level);
  if (choice.columns !== "CATEGORY") params.set("columns", choice.columns);
  optionParams(choice, params);
  return params;
}

/** What names a column (the category opened, the column sorted or compared) forgotten. */
function withoutColumns(choice: MatrixChoice): Partial<MatrixChoice> {
  const sorted = choice.sort === "COLUMN";
  return {
    category: null,
    sort: sorted ? "RANK" : choice.sort,
    sortColumn: null,
    descending: sorted ? false : choice.descending,
    relativeColumn: null,
  };
}

/** The choice with some of it changed; a changed cycle starts over in its own region. */
export function changeMatrix(choice: MatrixChoice, next: Partial<MatrixChoice>): MatrixChoice {
  const merged = { ...choice, ...next };
  if (next.cycle !== undefined && next.cycle !== choice.cycle) {
    // Another cycle may have another template: its columns and region are chosen afresh.
    return { ...merged, ...withoutColumns(merged), scope: null, level: null };
  }
  if (next.columns !== undefined && next.columns !== choice.columns) {
    // The other kind of columns has other codes.
    return { ...merged, ...withoutColumns(merged) };
  }
  return merged;
}

/** The choice's filters cleared, its region, level, columns and order kept. */
export function clearFilters(choice: MatrixChoice): MatrixChoice {
  return { ...choice, search: "", bands: [], vetoed: null, relative: null, relativeColumn: null };
}

export function hasFilters(choice: MatrixChoice): boolean {
  return !!choice.search || choice.bands.length > 0 || choice.vetoed !== null || choice.relative !== null;
}

/** The matrix query's order and filter (null when nothing narrows or reorders). */
export function matrixVariables(choice: MatrixChoice): {
  columns: MatrixColumns;
  category: string | null;
  orderBy: MatrixOrder | null;
  filter: MatrixFilter | null;
} {
  const orderBy: MatrixOrder | null =
    choice.sort === "RANK" && !choice.descending
      ? null
      : {
          by: choice.sort,
          descending: choice.descending,
          ...(choice.sort === "COLUMN" ? { column: choice.sortColumn } : {}),
        };
  const filter: MatrixFilter = {};
  if (choice.search) filter.search = choice.search;
  if (choice.bands.length) filter.bands = choice.bands;
  if (choice.vetoed !== null) filter.vetoed = choice.vetoed;
  if (choice.relative) {
    filter.relative = choice.relative;
    if (choice.relativeColumn) filter.relativeColumn = choice.relativeColumn;
  }
  return {
    columns: choice.columns,
    category: choice.columns === "INDICATOR" ? choice.category : null,
    orderBy,
    filter: Object.keys(filter).length ? filter : null,
  };
}

/** The Excel workbook of the matrix as shown: the same region, level, columns, order and filters. */
export function matrixExportUrl(
  choice: MatrixChoice,
  shown: { cycle: string; scope: string; level: TenantLevel },
): string {
  const params = new URLSearchParams({
    cycle: shown.cycle,
    scope: shown.scope,
    level: shown.level,
    columns: choice.columns,
  });
  optionParams(choice, params);
  return `/files/rankings/matrix.xlsx?${params.toString()}`;
}

/** Which way a header click sorts: the column's code, or the unit's rank, code or name. */
export type SortKey = { by: Exclude<MatrixSort, "COLUMN"> } | { by: "COLUMN"; column: string };

/** The order a header click asks for (antd's ascend/descend/none) as the choice's sort. */
export function sortFromHeader(
  key: SortKey,
  order: "ascend" | "descend" | null | undefined,
): Pick<MatrixChoice, "sort" | "sortColumn" | "descending"> {
  if (!order) return { sort: "RANK", sortColumn: null, descending: false };
  return {
    sort: key.by,
    sortColumn: key.by === "COLUMN" ? key.column : null,
    descending: order === "descend",
  };
}

/** Whether a header is the one sorted on, and which way (antd's sortOrder). */
export function headerOrder(choice: MatrixChoice, key: SortKey): "ascend" | "descend" | null {
  const same = choice.sort === key.by && (key.by !== "COLUMN" || choice.sortColumn === key.column);
  if (!same) return null;
  return choice.descending ? "descend" : "ascend";
}

/**
 * The level a region opens to (its row's open action, a breadcrumb step, a drill pick): its
 * units one level down, if the cycle ranks that deep.
 */
export function nextDrillLevel(rowLevel: TenantLevel, cycleLevel: TenantLevel): TenantLevel | null {
  return levelsDownTo(rowLevel, cycleLevel)[0] ?? null;
}

type Thresholds = { green: string; yellow: string };

/** A percent of the maximum's band by thresholds (as the server bands cells), none without one. */
export function bandOf(percent: string | number | null | undefined, thresholds: Thresholds): Band | null {
  if (percent === null || percent === undefined || percent === "") return null;
  const value = Number(percent);
  if (Number.isNaN(value)) return null;
  if (value >= Number(thresholds.green)) return "GREEN";
  if (value >= Number(thresholds.yellow)) return "YELLOW";
  return "RED";
}

export type CellLook = { background: string; color: string };

/** Band backgrounds with dark text of the same hue: readable, and told apart by their words too. */
export const BAND_LOOKS: Record<Band, CellLook> = {
  GREEN: { background: "#d9f7be", color: "#135200" },
  YELLOW: { background: "#fff1b8", color: "#613400" },
  RED: { background: "#ffccc7", color: "#820014" },
};
export const NOT_APPLICABLE_LOOK: CellLook = { background: "#f0f0f0", color: "#595959" };
export const MISSING_LOOK: CellLook = {
  background: "repeating-linear-gradient(135deg, #ffffff 0 6px, #f5f5f5 6px 12px)",
  color: "#595959",
};
/** Chart colours of the bands: a shade darker than the cells, outlined in their text colour
 * (so that they differ from the grades' colours beside them). */
export const BAND_CHART_COLORS: Record<Band, { color: string; border: string }> = {
  GREEN: { color: "#b7eb8f", border: BAND_LOOKS.GREEN.color },
  YELLOW: { color: "#ffe58f", border: BAND_LOOKS.YELLOW.color },
  RED: { color: "#ffa39e", border: BAND_LOOKS.RED.color },
};

type CellLike = { state: ScoreState; band?: Band | null; percentOfMax?: string | null };

/**
 * How a cell reads: a scored one by its percent and band; a missing one as a dash (never 0);
 * a not-applicable one as N/A in grey.
 */
export function cellView(cell: CellLike | null | undefined): {
  kind: "scored" | "missing" | "notApplicable";
  look: CellLook | null;
} {
  if (!cell || cell.state === "MISSING") return { kind: "missing", look: MISSING_LOOK };
  if (cell.state === "NOT_APPLICABLE") return { kind: "notApplicable", look: NOT_APPLICABLE_LOOK };
  return { kind: "scored", look: cell.band ? BAND_LOOKS[cell.band] : null };
}

/** A percent of the maximum as the API sends it ("87.50") to a fraction for formatting. */
export function percentFraction(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = Number(value);
  return Number.isNaN(number) ? null : number / 100;
}

/** An arrow for a trend the server judged big enough; none for STEADY, NEW or none at all. */
export function trendArrow(trend: Trend | null | undefined): "up" | "down" | null {
  if (trend === "UP") return "up";
  if (trend === "DOWN") return "down";
  return null;
}
