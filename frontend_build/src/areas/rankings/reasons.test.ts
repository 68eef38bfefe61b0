// Unit tests of the leaders' lists' reasons turned into the reader's language.
import { describe, expect, it } from "vitest";
import type { RankingRowFragment } from "../../gql/graphql";
import { reasonTexts } from "./reasons";

const t = (key: string, options?: Record<string, unknown>) =>
  `${key}${options ? JSON.stringify(options) : ""}`;

const entry: RankingRowFragment = {
  rank: 4,
  previousRank: 5,
  rankChange: 1,
  of: 5,
  position: 4,
  groupCode: null,
  groupName: null,
  score: "77.00",
  previousScore: "79.72",
  scoreChange: "-2.72",
  percentOfMax: "77.00",
  band: "YELLOW",
  scoreTrend: "DOWN",
  rankTrend: "UP",
  selfTotal: "77.00",
  grade: "UNQUALIFIED",
  vetoed: true,
  vetoReasons: [
    { rule: "V1", title: "较大事故", reason: "accident #35", evidence: "" },
    { rule: "V2", title: "瞒报", reason: "accident #12", evidence: "" },
  ],
  yellowCards: [{ rule: "Y2", title: "死亡2人以上事故", reason: "accident #35, 3 dead", evidence: "" }],
  overdueMajorHazards: 2,
  state: "FINAL",
  unit: { code: "330483", nameZh: "桐乡市", nameEn: "Tongxiang", level: "COUNTY" },
  tenant: { id: "t33" },
};

describe("reasonTexts", () => {
  it("builds each kind from the entry's own figures, vetoes in order", () => {
    const texts = reasonTexts(
      [
        { kind: "rank", text: "rank 4 of 5 in 浙江省" },
        { kind: "veto", text: "vetoed: one" },
        { kind: "veto", text: "vetoed: two" },
        { kind: "yellow_card", text: "yellow card: one" },
        { kind: "unqualified", text: "below" },
        { kind: "overdue_major_hazards", text: "2 overdue" },
      ],
      entry,
      "浙江省",
      t,
      "zh",
    );
    expect(texts).toEqual([
      'rankings.reason.rank{"rank":"4","of":"5","scope":"浙江省"}',
      'rankings.reason.veto{"title":"较大事故","reason":"accident #35"}',
      'rankings.reason.veto{"title":"瞒报","reason":"accident #12"}',
      'rankings.reason.yellowCard{"title":"死亡2人以上事故","reason":"accident #35, 3 dead"}',
      'rankings.reason.unqualified{"points":"77.00"}',
      'rankings.reason.overdue{"count":2}',
    ]);
  });
  it("says the rank is within the unit's group when the cycle has groups", () => {
    const texts = reasonTexts(
      [{ kind: "rank", text: "rank 1 of 8 in 南湖区" }],
      { ...entry, rank: 1, of: 8, groupCode: "towns", groupName: "乡镇（区域）" },
      "南湖区",
      t,
      "zh",
    );
    expect(texts).toEqual(['rankings.reason.rankInGroup{"rank":"1","of":"8","scope":"南湖区","group":"乡镇（区域）"}']);
  });
  it("names the grade and keeps the API's sentence for a kind it does not know", () => {
    const texts = reasonTexts(
      [
        { kind: "grade", text: "95 points" },
        { kind: "veto", text: "vetoed: a third" },
        { kind: "new_kind", text: "as the API says" },
      ],
      { ...entry, vetoReasons: [], grade: "EXCELLENT", score: "95.04" },
      "嘉兴市",
      t,
      "zh",
    );
    expect(texts).toEqual([
      'rankings.reason.grade{"points":"95.04","grade":"rankings.grades.EXCELLENT"}',
      "vetoed: a third",
      "as the API says",
    ]);
  });
});
