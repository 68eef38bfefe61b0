// Job-run helpers: whether the list should keep polling, and a run's result as lines to read.
import { formatSize } from "../../format";
import type { JobKind, JobState } from "../../gql/graphql";

/** Poll while any run is queued or running (or one was just asked for). */
export function shouldPoll(states: readonly JobState[], justStarted: boolean): boolean {
  return justStarted || states.some((s) => s === "QUEUED" || s === "RUNNING");
}

/** A run's result object as "key: value" pairs (nested objects flattened with dots). */
export function summarise(result: unknown, prefix = ""): string[] {
  if (result === null || result === undefined) return [];
  if (typeof result !== "object" || Array.isArray(result)) return prefix ? [`${prefix}: ${JSON.stringify(result)}`] : [];
  return Object.entries(result as Record<string, unknown>).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) return summarise(value, name);
    return [`${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`];
  });
}

/** One line of a run's result: words to say (a key under jobs.results, with its values), or a
 * "key: value" line for what the screen has no words for. */
export type ResultLine =
  | { words: string; values: Record<string, number | string> }
  | { raw: string };

/** The reminders a DEADLINE_REMINDERS run counts, in the order they are said. */
export const REMINDER_KINDS = [
  "self_assessment_due",
  "self_assessment_overdue",
  "review_due",
  "hazard_due",
  "task_due",
] as const;

// What a run keeps for itself (where a retry resumes), not for people.
const INTERNAL = new Set(["resume_after"]);

/** What a run found, as lines to read: a full recompute's counts (drift with its columns only
 * when there was some), a sweep's and the reminders' counts, a report's size (its file is the
 * link beside). Keys the screen has no words for are shown as they are, so nothing is hidden. */
export function resultLines(kind: JobKind, result: unknown): ResultLine[] {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return [];
  const found = result as Record<string, unknown>;
  const said = new Set<string>(INTERNAL);
  const lines: ResultLine[] = [];
  const count = (key: string): number | null => {
    said.add(key);
    return typeof found[key] === "number" ? (found[key] as number) : null;
  };
  const say = (words: string, key: string, shown: (n: number) => boolean = () => true) => {
    const n = count(key);
    if (n !== null && shown(n)) lines.push({ words, values: { n } });
  };
  if (kind === "FULL_RECOMPUTE") {
    say("rescored", "assessments");
    say("firstScored", "first_scored", (n) => n > 0);
    const drifted = count("drifted");
    const drift = found.drift;
    const byColumn = drift !== null && typeof drift === "object" && !Array.isArray(drift);
    if (byColumn) said.add("drift"); // said with the drifted count: every column 0 without drift
    if (drifted === 0) lines.push({ words: "noDrift", values: {} });
    else if (drifted !== null && byColumn) {
      const columns = drift as Record<string, unknown>;
      const of = (column: string) => (typeof columns[column] === "number" ? (columns[column] as number) : 0);
      lines.push({
        words: "drifted",
        values: {
          n: drifted,
          selfTotal: of("self_total"),
          reviewedTotal: of("reviewed_total"),
          grade: of("grade"),
          vetoed: of("vetoed"),
        },
      });
    } else if (drifted !== null) lines.push({ words: "driftedCount", values: { n: drifted } });
    // Counted once the rankings are published, at the end: 0 while the run is under way.
    say("published", "cycles", (n) => n > 0);
  } else if (kind === "OVERDUE_SWEEP") {
    say("hazardsOverdue", "hazards_overdue");
    say("tasksOverdue", "tasks_overdue");
    say("unitsNotified", "units");
  } else if (kind === "DEADLINE_REMINDERS") {
    for (const reminder of REMINDER_KINDS) say(`reminders.${reminder}`, reminder, (n) => n > 0);
    if (lines.length === 0 && REMINDER_KINDS.every((r) => found[r] === 0)) {
      lines.push({ words: "noReminders", values: {} });
    }
  } else if (kind === "REPORT") {
    said.add("sha256").add("filename"); // the file is the run's download link
    const bytes = count("bytes");
    if (bytes !== null) lines.push({ words: "reportSize", values: { size: formatSize(bytes) } });
  }
  const rest = Object.fromEntries(Object.entries(found).filter(([key]) => !said.has(key)));
  return [...lines, ...summarise(rest).map((raw) => ({ raw }))];
}
