// The audit log's pure rules: the filter from the form's values, the details pretty-printed,
// a moment in the reader's own time zone.
import type { AuditFilter } from "../../gql/graphql";

export type AuditValues = {
  nodeId?: string | null;
  action?: string | null;
  /** Days as "YYYY-MM-DD", both ends included. */
  from?: string | null;
  to?: string | null;
};

/** The day after ``day`` ("2026-12-31" -> "2027-01-01"). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The API's filter: a unit, an action by name, from the start of ``from`` to the end of
 * ``to`` (China Standard Time, as the API takes a time without an offset); null when nothing
 * is chosen. */
export function auditFilter(values: AuditValues): AuditFilter | null {
  const filter: AuditFilter = {};
  if (values.nodeId) filter.nodeId = values.nodeId;
  const action = values.action?.trim();
  if (action) filter.action = action;
  if (values.from) filter.since = `${values.from}T00:00:00`;
  if (values.to) filter.until = `${nextDay(values.to)}T00:00:00`;
  return Object.keys(filter).length > 0 ? filter : null;
}

/** The details JSON indented for reading; the text as it is when it is not JSON. */
export function prettyDetails(details: string): string {
  if (!details) return "";
  try {
    return JSON.stringify(JSON.parse(details), null, 2);
  } catch {
    return details;
  }
}

/** A moment with seconds, in the reader's language and time zone (``timeZone`` for tests). */
export function formatMoment(value: string, language: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "zh-CN", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(value));
}

/** Actions offered as suggestions in the filter (any other name may be typed). */
export const KNOWN_ACTIONS = [
  "signIn",
  "signInFailed",
  "signInThrottled",
  "signOut",
  "signOutEverywhere",
  "endSession",
  "changePassword",
  "resetPassword",
  "createUser",
  "disableUser",
  "enableUser",
  "grantRole",
  "revokeRole",
  "createApiToken",
  "revokeApiToken",
  "enableSecondFactor",
  "disableSecondFactor",
  "createTenant",
  "updateTenant",
  "submitAssessment",
  "publishRankings",
];

/** The suggestions matching what was typed (case-insensitive). */
export function suggestActions(typed: string): string[] {
  const needle = typed.trim().toLowerCase();
  return KNOWN_ACTIONS.filter((a) => a.toLowerCase().includes(needle));
}
