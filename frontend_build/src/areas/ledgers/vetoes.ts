// Ledger vetoes and yellow cards of a set of assessments as table rows: live firings, and kept
// ones (final).
import type { LedgerVetoesOfUnitQuery, UnitRefFragment } from "../../gql/graphql";

type Assessment = LedgerVetoesOfUnitQuery["assessments"]["edges"][number]["node"];

export type VetoRow = {
  key: string;
  unit: UnitRefFragment;
  cycle: string;
  rule: string;
  reason: string;
  /** Kept at finalisation (true) or firing live on an open assessment. */
  kept: boolean;
  /** A yellow card (黄牌警告), not a veto. */
  yellowCard: boolean;
};

/** The vetoes and yellow cards whose ledger fact is of `subject` (accident, hazard), live ones
 * first. */
export function vetoRows(assessments: readonly Assessment[], subject: string): VetoRow[] {
  const live = assessments.flatMap((a) =>
    a.ledgerVetoes.flatMap((v) =>
      // A rule fired by the previous cycle has no ledger fact.
      v.fact?.subject === subject ? [{ ...v, fact: v.fact }] : [],
    )
      .map((v) => ({
        key: `${a.id}-${v.fact.id}-${v.ruleCode}`,
        unit: a.unit,
        cycle: a.cycle.name,
        rule: v.ruleCode,
        reason: v.reason,
        kept: false,
        yellowCard: v.severity === "YELLOW_CARD",
      })),
  );
  const kept = assessments.flatMap((a) =>
    a.vetoes
      .filter((v) => !v.withdrawn && v.fact?.startsWith(`${subject}:`))
      .map((v, i) => ({
        key: `${a.id}-kept-${i}`,
        unit: a.unit,
        cycle: a.cycle.name,
        rule: v.rule.code,
        reason: v.reason,
        kept: true,
        yellowCard: v.rule.severity === "YELLOW_CARD",
      })),
  );
  return [...live, ...kept];
}
