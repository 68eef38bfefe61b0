// Numbers, dates and unit names in the chosen language.
import type { UnitRefFragment } from "./gql/graphql";

export function locale(language: string): string {
  return language === "en" ? "en-GB" : "zh-CN";
}

/** A decimal the API sends as a string (e.g. "87.50"), shown with its two places. */
export function formatPoints(value: string | number | null | undefined, language: string): string {
  if (value === null || value === undefined || value === "") return "—";
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number)) return String(value);
  return new Intl.NumberFormat(locale(language), {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(number);
}

export function formatNumber(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(locale(language)).format(value);
}

export function formatPercent(value: string | number | null | undefined, language: string): string {
  if (value === null || value === undefined || value === "") return "—";
  return new Intl.NumberFormat(locale(language), {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(Number(value));
}

/** A day ("2026-11-30") or a moment (ISO with zone) in the reader's language; moments in China time. */
export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(isDay ? `${value}T00:00:00+08:00` : value);
  return new Intl.DateTimeFormat(locale(language), {
    dateStyle: "medium",
    ...(isDay ? {} : { timeStyle: "short" }),
    timeZone: "Asia/Shanghai",
  }).format(date);
}

/** A file's size for people: "820 B", "35.2 KB", "1.4 MB"; "—" while unknown. */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function unitName(
  unit: Pick<UnitRefFragment, "nameZh" | "nameEn"> | null | undefined,
  language: string,
): string {
  if (!unit) return "—";
  return language === "en" ? unit.nameEn || unit.nameZh : unit.nameZh;
}
