// The consequences register (奖惩登记) without React: where its Excel workbook is, whether it is
// final or a preview, and its table rows with each consequence's grounds in the reader's words.
import type { Consequence, ConsequenceRegisterQuery, RankingRowFragment } from "../../gql/graphql";
import { reasonTexts } from "./reasons";

type Register = ConsequenceRegisterQuery["consequenceRegister"];
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One consequence of a row: its kind, its grounds as sentences, the last day of a bar. */
export type RegisterConsequence = { kind: Consequence; grounds: string[]; until: string | null };

/** A row of the register's table: the unit's ranking entry and what its result brings. */
export type RegisterRow = { key: string; entry: RankingRowFragment; consequences: RegisterConsequence[] };

/** The register's Excel workbook for a cycle and a region. */
export function registerExportUrl(cycle: string, scope: string): string {
  return `/files/rankings/consequences.xlsx?${new URLSearchParams({ cycle, scope }).toString()}`;
}

/** What the banner says: decided (the cycle closed on `decidedOn`), a preview of an open cycle,
 * or nothing to decide on (no ranking published). */
export type RegisterStatus =
  | { state: "final"; decidedOn: string | null }
  | { state: "preview" }
  | { state: "unpublished" };

export function registerStatus(register: Pick<Register, "final" | "decidedOn" | "snapshot">): RegisterStatus {
  if (register.final) return { state: "final", decidedOn: register.decidedOn };
  return register.snapshot ? { state: "preview" } : { state: "unpublished" };
}

/** The register's rows in rank order, each consequence's grounds composed from its kind and
 * the unit's own ranking entry (as the leaders' lists do: the API's text is English only). */
export function registerRows(
  units: Register["units"],
  scopeName: string,
  t: Translate,
  language: string,
): RegisterRow[] {
  return units.map(({ entry, consequences }) => ({
    key: entry.tenant?.id ?? `code:${entry.unit.code}`,
    entry,
    consequences: consequences.map((c) => ({
      kind: c.kind,
      grounds: reasonTexts(c.grounds, entry, scopeName, t, language),
      until: c.ineligibleUntil ?? null,
    })),
  }));
}

/** How many units of the register get each consequence (for the card's summary line). */
export function consequenceCounts(rows: readonly RegisterRow[]): Partial<Record<Consequence, number>> {
  const counts: Partial<Record<Consequence, number>> = {};
  for (const row of rows) for (const c of row.consequences) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}
