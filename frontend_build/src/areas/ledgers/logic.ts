// Pure logic of the ledger screens: periods, form values to mutation inputs, year-on-year rows
// and chart options, and which hazard steps a user may take.
import dayjs, { type Dayjs } from "dayjs";
import type {
  AccidentClass,
  HazardSeverity,
  HazardState,
  LedgerAccidentStatisticsQuery,
  RecordAccidentInput,
  ReportStatus,
  Sector,
} from "../../gql/graphql";

export type Period = { start: string; end: string };

/** A whole calendar year as a period. */
export function yearPeriod(year: number): Period {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

/** A RangePicker's value as a period (null when not both ends are picked). */
export function rangeToPeriod(range: readonly (Dayjs | null)[] | null | undefined): Period | null {
  if (!range || !range[0] || !range[1]) return null;
  return { start: range[0].format("YYYY-MM-DD"), end: range[1].format("YYYY-MM-DD") };
}

export type AccidentFormValues = {
  nodeId: string;
  occurredOn: Dayjs;
  /** The time of day it happened (China), when known. */
  occurredTime?: Dayjs | null;
  title: string;
  sector: Sector;
  deaths: number;
  seriousInjuries: number;
  directLoss: number | string;
  reportStatus: ReportStatus;
  reportedAt?: Dayjs | null;
  discoveredOn?: Dayjs | null;
  description?: string;
};

/** The form's values as recordAccident's input (correctAccident takes the same, minus nodeId). */
export function accidentInput(values: AccidentFormValues): RecordAccidentInput {
  return {
    nodeId: values.nodeId,
    occurredOn: values.occurredOn.format("YYYY-MM-DD"),
    occurredTime: timeOfDay(values.occurredTime),
    title: values.title.trim(),
    sector: values.sector,
    deaths: Number(values.deaths ?? 0),
    seriousInjuries: Number(values.seriousInjuries ?? 0),
    directLoss: String(values.directLoss ?? 0),
    reportStatus: values.reportStatus,
    reportedAt: values.reportedAt ? values.reportedAt.format() : null,
    discoveredOn:
      values.reportStatus === "CONCEALED" && values.discoveredOn
        ? values.discoveredOn.format("YYYY-MM-DD")
        : null,
    description: values.description?.trim() ?? "",
  };
}

/** A TimePicker's value as the API's time of day ("09:40:00"; minutes only, null when empty). */
export function timeOfDay(value: Dayjs | null | undefined): string | null {
  return value ? value.format("HH:mm:00") : null;
}

/** The API's day and time of day as a TimePicker's value (null when the time is unknown). */
export function pickerTime(day: string, time: string | null | undefined): Dayjs | null {
  return time ? dayjs(`${day}T${time}`) : null;
}

/** The API's time of day ("09:40:00") as "09:40" (null when unknown). */
export function shortTime(time: string | null | undefined): string | null {
  return time ? time.slice(0, 5) : null;
}

/** The class a set of figures gives (the State Council 2007 regulation), to preview in the form. */
export function accidentClassOf(deaths: number, injuries: number, lossYuan: number): AccidentClass {
  if (deaths >= 30 || injuries >= 100 || lossYuan >= 100_000_000) return "ESPECIALLY_SERIOUS";
  if (deaths >= 10 || injuries >= 50 || lossYuan >= 50_000_000) return "MAJOR";
  if (deaths >= 3 || injuries >= 10 || lossYuan >= 10_000_000) return "LARGER";
  return "GENERAL";
}

export const CLASS_COLORS: Record<AccidentClass, string> = {
  GENERAL: "default",
  LARGER: "orange",
  MAJOR: "red",
  ESPECIALLY_SERIOUS: "magenta",
};

type Stats = LedgerAccidentStatisticsQuery["accidentStatistics"];
type YoY = Stats["totals"]["count"];

export type YoyRow = {
  key: string;
  /** An AccidentClass, or "TOTAL". */
  label: string;
  count: YoY;
  deaths: YoY;
};

/** The Guangyuan-report table: every class, then the total line. */
export function yoyRows(stats: Stats): YoyRow[] {
  return [
    ...stats.byClass.map((c) => ({
      key: c.accidentClass,
      label: c.accidentClass,
      count: c.count,
      deaths: c.deaths,
    })),
    { key: "TOTAL", label: "TOTAL", count: stats.totals.count, deaths: stats.totals.deaths },
  ];
}

/** A change with its sign ("+2", "-3", "0"). */
export function signed(value: string | number): string {
  const n = Number(value);
  if (Number.isNaN(n)) return String(value);
  const text = Number.isInteger(n) ? String(n) : n.toFixed(2);
  return n > 0 ? `+${text}` : text;
}

/** The bar chart of counts and deaths by class, this year against last year. */
export function yoyChartOption(
  stats: Stats,
  label: (accidentClass: string) => string,
  names: { current: string; previous: string; count: string; deaths: string },
) {
  const classes = stats.byClass.map((c) => label(c.accidentClass));
  const series = (name: string, pick: (c: Stats["byClass"][number]) => YoY, which: "current" | "previous") => ({
    name,
    type: "bar" as const,
    data: stats.byClass.map((c) => Number(pick(c)[which])),
    label: { show: true, position: "top" as const },
  });
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 32 },
    xAxis: { type: "category", data: classes },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      series(`${names.count} ${names.current}`, (c) => c.count, "current"),
      series(`${names.count} ${names.previous}`, (c) => c.count, "previous"),
      series(`${names.deaths} ${names.current}`, (c) => c.deaths, "current"),
      series(`${names.deaths} ${names.previous}`, (c) => c.deaths, "previous"),
    ],
  };
}

export type HazardAction = "RECTIFYING" | "RECTIFIED" | "VERIFIED" | "BACK" | "CLOSED" | "LIST" | "DELIST";

/** The workflow steps of a hazard a keeper / supervisor may take (the server still decides). */
export function hazardActions(
  hazard: { state: HazardState; severity: HazardSeverity; listed: boolean },
  can: { keep: boolean; supervise: boolean },
): HazardAction[] {
  const actions: HazardAction[] = [];
  if (can.keep) {
    if (hazard.state === "OPEN") actions.push("RECTIFYING");
    if (hazard.state === "RECTIFYING" || (hazard.state === "OPEN" && hazard.severity === "GENERAL")) {
      actions.push("RECTIFIED");
    }
  }
  if (can.supervise) {
    if (hazard.state === "RECTIFIED") actions.push("VERIFIED", "BACK");
    if (hazard.state === "VERIFIED") actions.push("CLOSED");
    if (hazard.severity === "MAJOR" && !hazard.listed && hazard.state !== "CLOSED") actions.push("LIST");
    if (hazard.listed && (hazard.state === "VERIFIED" || hazard.state === "CLOSED")) actions.push("DELIST");
  }
  return actions;
}

/** The state moveHazard is asked for by an action (a failed look-back goes back to RECTIFYING). */
export function moveTarget(action: HazardAction): HazardState | null {
  if (action === "BACK") return "RECTIFYING";
  if (action === "LIST" || action === "DELIST") return null;
  return action;
}

/** Codes typed one per line or separated by commas/spaces, without blanks or repeats. */
export function splitCodes(text: string | undefined): string[] {
  return [...new Set((text ?? "").split(/[\s,，、;；]+/).map((c) => c.trim()).filter(Boolean))];
}

/** Enterprise names, one per line, without blanks or repeats. */
export function splitLines(text: string | undefined): string[] {
  return [...new Set((text ?? "").split(/\n+/).map((c) => c.trim()).filter(Boolean))];
}

export const SECTORS: Sector[] = [
  "HAZARDOUS_CHEMICALS",
  "COAL_MINES",
  "NON_COAL_MINES",
  "ROAD_TRANSPORT",
  "BUILDING_CONSTRUCTION",
  "METALLURGY",
  "FIRE",
  "GAS",
  "TOURISM",
  "CONFINED_SPACE",
  "FIREWORKS",
  "SPECIAL_EQUIPMENT",
  "CIVIL_EXPLOSIVES",
  "WATER_CONSERVANCY",
  "AGRICULTURAL_MACHINERY",
  "FISHING_VESSELS",
  "RAILWAYS",
  "CIVIL_AVIATION",
  "ELECTRIC_POWER",
  "OIL_GAS_PIPELINES",
  "OTHER",
];
