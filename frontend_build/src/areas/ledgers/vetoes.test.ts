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
            { ruleCode: "V1", reason: "larger accident", evidence: "", fact: { subject: "accident", id: "X", label: "accident #36" } },
            { ruleCode: "V3", reason: "overdue hazard", evidence: "", fact: { subject: "hazard", id: "H", label: "hazard #2" } },
          ],
        }),
        assessment({
          id: "A2",
          state: "FINAL",
          vetoes: [
            { fact: "accident:35", reason: "kept", withdrawn: false, rule: { code: "V1" } },
            { fact: "accident:9", reason: "withdrawn", withdrawn: true, rule: { code: "V1" } },
            { fact: null, reason: "manual", withdrawn: false, rule: { code: "V4" } },
          ],
        }),
      ],
      "accident",
    );
    expect(rows.map((r) => [r.rule, r.reason, r.kept])).toEqual([
      ["V1", "larger accident", false],
      ["V1", "kept", true],
    ]);
  });
});
