// The reports area's rules without React: who may set the letterhead, whether the list should
// keep polling, and the letterhead's wording (the overrides a form holds, the
// wording the API takes, its errors back on the rows, the {names} a label must keep).
import type { JobState, ReportLanguage, ReportWordingInput } from "../../gql/graphql";
import type { UserError } from "../../api/errors";

type Grant = { role: string; node: { level: string } };

/** Whether the user is an admin of the province itself (the letterhead is the province's). */
export function isProvinceAdmin(user: { roles: readonly Grant[] } | null | undefined): boolean {
  return (user?.roles ?? []).some((grant) => grant.role === "ADMIN" && grant.node.level === "PROVINCE");
}

/** Whether any listed report is still queued or printing (the list then refreshes). */
export function anyPrinting(reports: readonly { jobRun?: { state: JobState } | null }[]): boolean {
  return reports.some((r) => r.jobRun?.state === "QUEUED" || r.jobRun?.state === "RUNNING");
}

export const LANGUAGES: ReportLanguage[] = ["ZH", "EN"];

/** A form's overrides: per language, per label key, the province's text ("" or absent: the default). */
export type Overrides = Partial<Record<ReportLanguage, Record<string, string | undefined>>>;

export type Label = { language: ReportLanguage; key: string; defaultText: string };

/** The overrides a saved wording gives the form. */
export function overridesOf(wording: readonly { language: ReportLanguage; key: string; text: string }[]): Overrides {
  const overrides: Overrides = { ZH: {}, EN: {} };
  for (const w of wording) (overrides[w.language] ??= {})[w.key] = w.text;
  return overrides;
}

/** The form field of a label's override: overrides.EN.scorecard_title. */
export function overrideField(language: ReportLanguage, key: string): string {
  return `overrides.${language}.${key}`;
}

/**
 * The wording to save: every label (in the labels' order) whose override is neither blank nor the
 * default, trimmed; and for each item, the form field it came from (for the errors).
 */
export function wordingInput(labels: readonly Label[], overrides: Overrides | undefined): { wording: ReportWordingInput[]; fields: string[] } {
  const wording: ReportWordingInput[] = [];
  const fields: string[] = [];
  for (const label of labels) {
    const text = overrides?.[label.language]?.[label.key]?.trim() ?? "";
    if (!text || text === label.defaultText) continue;
    wording.push({ language: label.language, key: label.key, text });
    fields.push(overrideField(label.language, label.key));
  }
  return { wording, fields };
}

/** The API's errors with wording[3].text (or .key, .language) renamed to the row's form field. */
export function remapWordingErrors(errors: readonly UserError[], fields: readonly string[]): UserError[] {
  return errors.map((error) => {
    const match = /^(?:input\.)?wording\[(\d+)\](?:\.\w+)?$/.exec(error.field ?? "");
    const field = match ? fields[Number(match[1])] : undefined;
    return field ? { ...error, field } : error;
  });
}

/** The language of an override's field (overrides.EN.x -> EN); null for other fields. */
export function languageOfField(field: string | null | undefined): ReportLanguage | null {
  const match = /^overrides\.(ZH|EN)\./.exec(field ?? "");
  return match ? (match[1] as ReportLanguage) : null;
}

/** The {names} a label fills in ({{ and }} are literal braces). */
export function placeholders(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.replace(/\{\{|\}\}/g, "").matchAll(/\{(\w*)\}/g)) names.add(match[1]);
  return [...names].sort();
}

/** What an override lacks or adds of the default's {names}; null when it keeps exactly those. */
export function placeholderProblem(defaultText: string, text: string): { missing: string[]; extra: string[] } | null {
  const wanted = placeholders(defaultText);
  const said = placeholders(text);
  const missing = wanted.filter((n) => !said.includes(n));
  const extra = said.filter((n) => !wanted.includes(n));
  return missing.length || extra.length ? { missing, extra } : null;
}

/** How many overrides of a language say something (not blank, not the default). */
export function overrideCount(labels: readonly Label[], overrides: Overrides | undefined, language: ReportLanguage): number {
  return wordingInput(labels.filter((l) => l.language === language), overrides).wording.length;
}
