// Unit tests of the ranking versions: which earlier version is compared, and a change between two
// versions turned into the row and the sentence the leaders read.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import type { RankingVersionChangesQuery, RankingVersionFragment } from "../../gql/graphql";
import {
  changeRow,
  changeRows,
  changeSentence,
  changesFailure,
  commendationCounts,
  comparableVersions,
  defaultFromVersion,
  effectiveFromVersion,
} from "./versions";

type Change = RankingVersionChangesQuery["rankingChanges"]["changes"][number];

const t = (key: string, options?: Record<string, unknown>) =>
  `${key}${options ? JSON.stringify(options) : ""}`;

/** Words close to the Chinese ones, to read a whole sentence. */
const words: Record<string, string> = {
  "rankings.versions.rank": "第 {{rank}} 名",
  "rankings.versions.notRanked": "未排名",
  "rankings.versions.move.up": "上升 {{steps}} 位",
  "rankings.versions.move.down": "下降 {{steps}} 位",
  "rankings.versions.move.same": "名次不变",
  "rankings.versions.rankMoved": "{{text}}（{{move}}）",
  "rankings.versions.scoreMoved": "总分 {{text}}（{{change}}）",
  "rankings.versions.gradeMoved": "等次 {{before}} → {{after}}",
  "rankings.versions.rules.vetoAdded": "新增一票否决：{{rule}} {{title}}（{{reason}}）",
  "rankings.versions.rules.yellowCardRemoved": "撤销黄牌警告：{{rule}} {{title}}（{{reason}}）",
  "rankings.versions.movedByOthers": "本单位得分未变，名次随其他单位的变化顺延",
  "rankings.versions.tags.commendationWithdrawn": "撤销表扬",
  "rankings.versions.tags.commendationGranted": "新增表扬",
  "rankings.versions.tags.entered": "新进入排名",
  "rankings.versions.tags.left": "退出排名",
  "rankings.versions.separator": "；",
  "rankings.versions.sentence": "{{unit}}：{{text}}",
  "rankings.grades.EXCELLENT": "优秀",
  "rankings.grades.GOOD": "良好",
  "rankings.grades.UNQUALIFIED": "不合格",
};
const zh = (key: string, options?: Record<string, unknown>) =>
  (words[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options?.[name] ?? ""));

const version = (n: number, rowsKept = true, provisional = false): RankingVersionFragment => ({
  version: n,
  computedAt: `2026-07-2${n}T02:00:00+00:00`,
  provisional,
  rowsKept,
});

const veto = {
  rule: "V2",
  title: "瞒报、谎报生产安全事故",
  reason: "2026年7月查实：某企业发生一起死亡1人的事故，未按规定上报（瞒报）",
  evidence: "事故调查报告",
};

const base: Change = {
  unit: { code: "330421", nameZh: "嘉善县", nameEn: "Jiashan", level: "COUNTY" },
  before: { rank: 1, of: 7, score: "93.56", grade: "EXCELLENT", vetoed: false },
  after: { rank: 6, of: 7, score: "93.56", grade: "UNQUALIFIED", vetoed: true },
  rankChange: -5,
  scoreChange: "0.00",
  vetoesAdded: [veto],
  vetoesRemoved: [],
  yellowCardsAdded: [],
  yellowCardsRemoved: [],
  commendationWithdrawn: true,
  commendationGranted: false,
};

const movedUp: Change = {
  ...base,
  unit: { code: "330482", nameZh: "平湖市", nameEn: "Pinghu", level: "COUNTY" },
  before: { rank: 2, of: 7, score: "82.68", grade: "GOOD", vetoed: false },
  after: { rank: 1, of: 7, score: "82.68", grade: "GOOD", vetoed: false },
  rankChange: 1,
  vetoesAdded: [],
  commendationWithdrawn: false,
};

describe("the version compared", () => {
  const versions = [version(4), version(3), version(2, false, true), version(1)];

  it("offers the versions before the current, newest first, those without rows disabled", () => {
    expect(comparableVersions(versions, 3).map((v) => [v.version.version, v.disabled])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it("defaults to the newest earlier version whose rows are kept", () => {
    expect(defaultFromVersion(versions, 4)).toBe(3);
    expect(defaultFromVersion(versions, 3)).toBe(1);
    expect(defaultFromVersion(versions, 1)).toBeNull();
    expect(defaultFromVersion([version(2), version(1, false, true)], 2)).toBeNull();
  });

  it("keeps a chosen version only while it can be compared with the current", () => {
    expect(effectiveFromVersion(1, versions, 4)).toBe(1);
    expect(effectiveFromVersion(2, versions, 4)).toBe(3); // rows gone
    expect(effectiveFromVersion(4, versions, 4)).toBe(3); // not earlier
    expect(effectiveFromVersion(null, versions, 4)).toBe(3);
  });
});

describe("changeRow", () => {
  it("shows a vetoed unit's fall, its grade, the veto's why and the commendation withdrawn", () => {
    const row = changeRow(base, t, "zh");
    expect(row.unit).toBe("嘉善县");
    expect(row.rank).toEqual({
      before: 1,
      after: 6,
      text: 'rankings.versions.rank{"rank":"1"} → rankings.versions.rank{"rank":"6"}',
      move: { direction: "down", steps: 5 },
      moveText: 'rankings.versions.move.down{"steps":"5"}',
    });
    expect(row.score).toMatchObject({ text: "93.56", changeText: "", change: 0 });
    expect(row.grade).toEqual({ before: "EXCELLENT", after: "UNQUALIFIED", changed: true });
    expect(row.rules).toEqual([
      {
        kind: "vetoAdded",
        ...veto,
        text: `rankings.versions.rules.vetoAdded${JSON.stringify({ rule: "V2", title: veto.title, reason: veto.reason })}`,
      },
    ]);
    expect(row.note).toBe("");
    expect(row.tags).toEqual(["commendationWithdrawn"]);
  });

  it("says a unit moved by others' changes when nothing of its own changed", () => {
    const row = changeRow(movedUp, t, "zh");
    expect(row.rank.move).toEqual({ direction: "up", steps: 1 });
    expect(row.grade.changed).toBe(false);
    expect(row.rules).toEqual([]);
    expect(row.note).toBe("rankings.versions.movedByOthers");
    expect(row.tags).toEqual([]);
  });

  it("signs a score change and shows both scores", () => {
    const row = changeRow(
      {
        ...movedUp,
        after: { rank: 3, of: 7, score: "80.18", grade: "GOOD", vetoed: false },
        rankChange: -1,
        scoreChange: "-2.50",
        yellowCardsRemoved: [{ rule: "Y1", title: "被省安委会通报批评", reason: "通报已撤回", evidence: "" }],
        commendationGranted: true,
      },
      t,
      "zh",
    );
    expect(row.score).toMatchObject({ text: "82.68 → 80.18", changeText: "-2.50", change: -2.5 });
    expect(row.rules.map((r) => r.kind)).toEqual(["yellowCardRemoved"]);
    expect(row.note).toBe("");
    expect(row.tags).toEqual(["commendationGranted"]);
  });

  it("tags a unit that came in or left, with no move", () => {
    const entered = changeRow({ ...movedUp, before: null, rankChange: null, scoreChange: null }, t, "zh");
    expect(entered.tags).toEqual(["entered"]);
    expect(entered.rank).toMatchObject({ before: null, after: 1, move: null, moveText: "" });
    expect(entered.rank.text).toBe('rankings.versions.notRanked → rankings.versions.rank{"rank":"1"}');
    expect(entered.score).toMatchObject({ text: "— → 82.68", changeText: "" });
    expect(entered.note).toBe("");
    const left = changeRow({ ...movedUp, after: null, rankChange: null, scoreChange: null }, t, "zh");
    expect(left.tags).toEqual(["left"]);
    expect(left.rank.after).toBeNull();
  });

  it("counts an unscored entry as not ranked", () => {
    const row = changeRow(
      { ...movedUp, before: { rank: 7, of: 7, score: null, grade: null, vetoed: false }, rankChange: null, scoreChange: null },
      t,
      "zh",
    );
    expect(row.rank.before).toBeNull();
    expect(row.grade).toEqual({ before: null, after: "GOOD", changed: true });
  });

  it("reads in English with the unit's English name", () => {
    expect(changeRow(base, t, "en").unit).toBe("Jiashan");
  });
});

describe("changeRows", () => {
  it("lists the units with a change of their own before those moved by them, in order", () => {
    const haining: Change = { ...movedUp, unit: { ...movedUp.unit, code: "330481", nameZh: "海宁市" } };
    const entered: Change = { ...movedUp, unit: { ...movedUp.unit, code: "330402", nameZh: "南湖区" }, before: null };
    const rows = changeRows([movedUp, haining, entered, base], t, "zh");
    expect(rows.map((r) => r.unit)).toEqual(["南湖区", "嘉善县", "平湖市", "海宁市"]);
  });
});

describe("changeSentence", () => {
  it("puts the whole change in one sentence", () => {
    const [jiashan, pinghu] = changeRows([movedUp, base], zh, "zh");
    expect(changeSentence(jiashan, zh)).toBe(
      `嘉善县：第 1 名 → 第 6 名（下降 5 位）；等次 优秀 → 不合格；新增一票否决：V2 ${veto.title}（${veto.reason}）；撤销表扬`,
    );
    expect(changeSentence(pinghu, zh)).toBe(
      "平湖市：第 2 名 → 第 1 名（上升 1 位）；本单位得分未变，名次随其他单位的变化顺延",
    );
  });

  it("names a score change and a unit that came in", () => {
    const row = changeRow(
      { ...movedUp, before: null, rankChange: null, scoreChange: null, commendationGranted: true },
      zh,
      "zh",
    );
    expect(changeSentence(row, zh)).toBe("平湖市：未排名 → 第 1 名；等次 — → 良好；新进入排名；新增表扬");
    const scored = changeRow(
      { ...movedUp, after: { ...movedUp.after!, rank: 2, score: "84.18" }, rankChange: 0, scoreChange: "1.50" },
      zh,
      "zh",
    );
    expect(changeSentence(scored, zh)).toBe("平湖市：第 2 名（名次不变）；总分 82.68 → 84.18（+1.50）");
  });
});

describe("commendationCounts", () => {
  it("counts the commendations withdrawn and granted", () => {
    const rows = changeRows([base, movedUp, { ...movedUp, commendationGranted: true }], t, "zh");
    expect(commendationCounts(rows)).toEqual({ withdrawn: 1, granted: 1 });
  });
});

describe("changesFailure", () => {
  it("says in words why an earlier version cannot be compared", () => {
    expect(changesFailure(new ApiError("no version 9", "NOT_FOUND", null), 9, t)).toBe(
      'rankings.versions.notFound{"version":9}',
    );
    expect(changesFailure(new ApiError("rows gone", "INVALID", null), 2, t)).toBe(
      'rankings.versions.notKept{"version":2}',
    );
    expect(changesFailure(new ApiError("boom", "INTERNAL", "r1"), 2, t)).toBeNull();
    expect(changesFailure(new Error("network"), 2, t)).toBeNull();
  });
});
