// Job-run helpers: whether the list should keep polling, and a run's result in one line.
import type { JobState } from "../../gql/graphql";

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
