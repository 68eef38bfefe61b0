// Unit tests of the consequences register's logic: its Excel link, final or preview, the rows
// with each consequence's grounds in the reader's words.
import { describe, expect, it } from "vitest";
import type { ConsequenceRegisterQuery, RankingRowFragment } from "../../gql/graphql";
import { consequenceCounts, registerExportUrl, registerRows, registerStatus } from "./register";

type Register = ConsequenceRegisterQuery["consequenceRegister"];

const t = (key: string, options?: Record<string, unknown>) =>
  `${key}${options ? JSON.stringify(options) : ""}`;

function entry(patch: Partial<RankingRowFragment>): RankingRowFragment {
  return {
    rank: 1,
    previousRank: null,
    rankChange: null,
    of: 5,
    position: 1,
    groupCode: null,
    groupName: null,
    score: "95.00",
    previousScore: null,
    scoreChange: null,
    percentOfMax: "95.00",
    band: "GREEN",
    scoreTrend: "NEW",
    rankTrend: "NEW",
    selfTotal: "95.00",
    grade: "EXCELLENT",
    vetoed: false,
    vetoReasons: [],
    yellowCards: [],
    overdueMajorHazards: 0,
    state: "FINAL",
    unit: { code: "330482", nameZh: "平湖市", nameEn: "Pinghu", level: "COUNTY" },
    tenant: { id: "t1" },
    ...patch,
  };
}

const best = entry({});
const vetoed = entry({
  rank: 5,
  position: 5,
  score: "58.00",
  grade: "UNQUALIFIED",
  vetoed: true,
  vetoReasons: [{ rule: "V1", title: "较大事故", reason: "accident #35", evidence: "" }],
  yellowCards: [{ rule: "Y1", title: "死亡2人以上", reason: "accident #35, 3 dead", evidence: "" }],
  unit: { code: "330483", nameZh: "桐乡市", nameEn: "Tongxiang", level: "COUNTY" },
  tenant: { id: "t5" },
});

const units: Register["units"] = [
  {
    entry: best,
    consequences: [
      {
        kind: "COMMENDATION",
        grounds: [
          { kind: "rank", text: "rank 1 of 5" },
          { kind: "grade", text: "95.00 points, excellent" },
        ],
        ineligibleUntil: null,
      },
    ],
  },
  {
    entry: vetoed,
    consequences: [
      { kind: "CRITICISM", grounds: [{ kind: "veto", text: "vetoed" }], ineligibleUntil: null },
      {
        kind: "INTERVIEW",
        grounds: [
          { kind: "veto", text: "vetoed" },
          { kind: "yellow_card", text: "yellow card" },
        ],
        ineligibleUntil: null,
      },
      { kind: "INELIGIBILITY", grounds: [{ kind: "veto", text: "vetoed" }], ineligibleUntil: "2027-02-09" },
    ],
  },
];

describe("registerExportUrl", () => {
  it("names the cycle and the region, encoded", () => {
    const url = new URL(registerExportUrl("Q3ljbGU6MQ==", "VGVuYW50OjE="), "http://x");
    expect(url.pathname).toBe("/files/rankings/consequences.xlsx");
    expect(url.searchParams.get("cycle")).toBe("Q3ljbGU6MQ==");
    expect(url.searchParams.get("scope")).toBe("VGVuYW50OjE=");
  });
});

describe("registerStatus", () => {
  const snapshot = { version: 3, computedAt: "2026-02-10T01:00:00+00:00", provisional: false };

  it("is final with the day the cycle closed", () => {
    expect(registerStatus({ final: true, decidedOn: "2026-02-10", snapshot })).toEqual({
      state: "final",
      decidedOn: "2026-02-10",
    });
  });

  it("is a preview while the cycle is open, and unpublished without a ranking", () => {
    expect(registerStatus({ final: false, decidedOn: null, snapshot })).toEqual({ state: "preview" });
    expect(registerStatus({ final: false, decidedOn: null, snapshot: null })).toEqual({ state: "unpublished" });
  });
});

describe("registerRows", () => {
  it("keeps the rank order and composes each consequence's grounds from the entry", () => {
    const rows = registerRows(units, "浙江省", t, "zh");
    expect(rows.map((r) => r.key)).toEqual(["t1", "t5"]);
    expect(rows[0].consequences).toEqual([
      {
        kind: "COMMENDATION",
        grounds: [
          'rankings.reason.rank{"rank":"1","of":"5","scope":"浙江省"}',
          'rankings.reason.grade{"points":"95.00","grade":"rankings.grades.EXCELLENT"}',
        ],
        until: null,
      },
    ]);
  });

  it("names each consequence's own veto and yellow card, and the bar's last day", () => {
    const [, row] = registerRows(units, "浙江省", t, "zh");
    const veto = 'rankings.reason.veto{"title":"较大事故","reason":"accident #35"}';
    expect(row.consequences.map((c) => c.grounds)).toEqual([
      [veto],
      [veto, 'rankings.reason.yellowCard{"title":"死亡2人以上","reason":"accident #35, 3 dead"}'],
      [veto],
    ]);
    expect(row.consequences.map((c) => c.until)).toEqual([null, null, "2027-02-09"]);
  });

  it("counts the units each consequence falls on", () => {
    expect(consequenceCounts(registerRows(units, "浙江省", t, "zh"))).toEqual({
      COMMENDATION: 1,
      CRITICISM: 1,
      INTERVIEW: 1,
      INELIGIBILITY: 1,
    });
  });
});
