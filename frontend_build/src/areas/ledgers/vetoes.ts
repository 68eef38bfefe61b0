// Ledger vetoes of a set of assessments as table rows: live firings, and kept ones (final).
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
};

/** The vetoes whose ledger fact is of `subject` (accident, hazard), live ones first. */
export function vetoRows(assessments: readonly Assessment[], subject: string): VetoRow[] {
  const live = assessments.flatMap((a) =>
    a.ledgerVetoes
      .filter((v) => v.fact.subject === subject)
      .map((v) => ({
        key: `${a.id}-${v.fact.id}-${v.ruleCode}`,
        unit: a.unit,
        cycle: a.cycle.name,
        rule: v.ruleCode,
        reason: v.reason,
        kept: false,
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
      })),
  );
  return [...live, ...kept];
}
