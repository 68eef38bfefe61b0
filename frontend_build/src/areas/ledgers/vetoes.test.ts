import { describe, expect, it } from "vitest";
import type { LedgerVetoesOfUnitQuery } from "../../gql/graphql";
import { vetoRows } from "./vetoes";

type Assessment = LedgerVetoesOfUnitQuery["assessments"]["edges"][number]["node"];
const unit = { id: "T31", code: "330481", nameZh: "海宁市", nameEn: "Haining", level: "COUNTY" as const };
const assessment = (over: Partial<Assessment>): Assessment => ({
  id: "A1",
  state: "REVIEWED",
  vetoed: true,
  unit,
  cycle: { id: "C2", name: "2026年度县（市、区）安全生产工作考核" },
  ledgerVetoes: [],
  vetoes: [],
  ...over,
});

describe("vetoRows", () => {
  it("lists live accident vetoes and kept ones, not hazard or withdrawn ones", () => {
    const rows = vetoRows(
      [
        assessment({
          ledgerVetoes: [
            { ruleCode: "V1", reason: "larger accident", evidence: "", severity: "VETO", fact: { subject: "accident", id: "X", label: "accident #36" } },
            { ruleCode: "Y2", reason: "3 deaths", evidence: "", severity: "YELLOW_CARD", fact: { subject: "accident", id: "X", label: "accident #36" } },
            { ruleCode: "V3", reason: "overdue hazard", evidence: "", severity: "VETO", fact: { subject: "hazard", id: "H", label: "hazard #2" } },
            { ruleCode: "V5", reason: "yellow card two years running", evidence: "", severity: "VETO", fact: null },
          ],
        }),
        assessment({
          id: "A2",
          state: "FINAL",
          vetoes: [
            { fact: "accident:35", reason: "kept", withdrawn: false, rule: { code: "V1", severity: "VETO" } },
            { fact: "accident:9", reason: "withdrawn", withdrawn: true, rule: { code: "V1", severity: "VETO" } },
            { fact: null, reason: "manual", withdrawn: false, rule: { code: "V4", severity: "VETO" } },
          ],
        }),
      ],
      "accident",
    );
    expect(rows.map((r) => [r.rule, r.reason, r.kept, r.yellowCard])).toEqual([
      ["V1", "larger accident", false, false],
      ["Y2", "3 deaths", false, true],
      ["V1", "kept", true, false],
    ]);
  });
});
