// The versions of a cycle's rankings without React: which earlier version can be compared with
// the current one (and which by default), and each unit's change between two versions turned into
// a display row: where it stood and stands, by how much its score moved, and why (the vetoes and
// yellow cards that came or went, each with its rule, title and reason), with the commendation
// it loses or gains; also as one sentence a reader can quote.
import { ApiError } from "../../api/client";
import { formatNumber, formatPoints, unitName } from "../../format";
import type { Grade, RankingVersionChangesQuery, RankingVersionFragment } from "../../gql/graphql";
import { rankMove } from "./ranking";

type Change = RankingVersionChangesQuery["rankingChanges"]["changes"][number];
type Rule = Change["vetoesAdded"][number];
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What a rule line says happened to the rule: a veto or a yellow card that came or went. */
export type RuleChangeKind = "vetoAdded" | "vetoRemoved" | "yellowCardAdded" | "yellowCardRemoved";

/** A tag beside the unit: its commendation withdrawn or granted, or it came into or left the
 * ranking. */
export type ChangeTag = "commendationWithdrawn" | "commendationGranted" | "entered" | "left";

export const CHANGE_TAG_COLORS: Record<ChangeTag, string> = {
  commendationWithdrawn: "volcano",
  commendationGranted: "green",
  entered: "blue",
  left: "default",
};

export type RuleLine = { kind: RuleChangeKind; rule: string; title: string; reason: string; evidence: string; text: string };

/** One unit's row of the changes list. */
export type ChangeRow = {
  key: string;
  unit: string;
  rank: {
    before: number | null;
    after: number | null;
    /** "第 1 名 → 第 6 名", "未排名 → 第 3 名", or "第 2 名" when the same. */
    text: string;
    move: { direction: "up" | "down"; steps: number } | null;
    /** "下降 5 位", "名次不变"; empty when the unit is not ranked in both. */
    moveText: string;
  };
  score: {
    before: string | null;
    after: string | null;
    /** "93.56 → 91.06" or "93.56" when the same. */
    text: string;
    /** "-2.50", "+1.00"; empty unless scored in both and moved. */
    changeText: string;
    change: number | null;
  };
  grade: { before: Grade | null; after: Grade | null; changed: boolean };
  rules: RuleLine[];
  /** Why a unit moved with nothing of its own changed (another unit's change moved it). */
  note: string;
  tags: ChangeTag[];
};

/** The earlier versions one may compare with `current`, newest first; those whose rows are no
 * longer kept are listed but cannot be chosen. */
export function comparableVersions(
  versions: readonly RankingVersionFragment[],
  current: number,
): { version: RankingVersionFragment; disabled: boolean }[] {
  return [...versions]
    .filter((v) => v.version < current)
    .sort((a, b) => b.version - a.version)
    .map((version) => ({ version, disabled: !version.rowsKept }));
}

/** The version compared by default: the newest earlier version whose rows are kept (the one
 * before the current, unless its rows are gone); null when there is none. */
export function defaultFromVersion(versions: readonly RankingVersionFragment[], current: number): number | null {
  return comparableVersions(versions, current).find((v) => !v.disabled)?.version.version ?? null;
}

/** The chosen earlier version when it can still be compared with `current`, else the default. */
export function effectiveFromVersion(
  chosen: number | null,
  versions: readonly RankingVersionFragment[],
  current: number,
): number | null {
  const usable = comparableVersions(versions, current).some((v) => !v.disabled && v.version.version === chosen);
  return usable ? chosen : defaultFromVersion(versions, current);
}

function signed(value: number, language: string): string {
  return `${value > 0 ? "+" : value < 0 ? "-" : "±"}${formatPoints(Math.abs(value), language)}`;
}

function ruleLines(change: Change, t: Translate): RuleLine[] {
  const groups: [RuleChangeKind, readonly Rule[]][] = [
    ["vetoAdded", change.vetoesAdded],
    ["vetoRemoved", change.vetoesRemoved],
    ["yellowCardAdded", change.yellowCardsAdded],
    ["yellowCardRemoved", change.yellowCardsRemoved],
  ];
  return groups.flatMap(([kind, rules]) =>
    rules.map((r) => ({
      kind,
      rule: r.rule,
      title: r.title,
      reason: r.reason,
      evidence: r.evidence,
      text: t(`rankings.versions.rules.${kind}`, { rule: r.rule, title: r.title, reason: r.reason }),
    })),
  );
}

function rankText(rank: number | null, t: Translate, language: string): string {
  return rank === null ? t("rankings.versions.notRanked") : t("rankings.versions.rank", { rank: formatNumber(rank, language) });
}

/** A change from the API as the row the list shows. */
export function changeRow(change: Change, t: Translate, language: string): ChangeRow {
  const { before, after } = change;
  const rankBefore = before?.score != null ? before.rank : null;
  const rankAfter = after?.score != null ? after.rank : null;
  const move = rankMove(change.rankChange);
  const moveText =
    change.rankChange === null
      ? ""
      : move
        ? t(`rankings.versions.move.${move.direction}`, { steps: formatNumber(move.steps, language) })
        : t("rankings.versions.move.same");

  const scoreBefore = before?.score ?? null;
  const scoreAfter = after?.score ?? null;
  const change_ = change.scoreChange === null ? null : Number(change.scoreChange);
  const sameScore = scoreBefore !== null && scoreAfter !== null && Number(scoreBefore) === Number(scoreAfter);
  const scoreText = sameScore
    ? formatPoints(scoreAfter, language)
    : `${formatPoints(scoreBefore, language)} → ${formatPoints(scoreAfter, language)}`;

  const gradeBefore = before?.grade ?? null;
  const gradeAfter = after?.grade ?? null;
  const rules = ruleLines(change, t);

  const tags: ChangeTag[] = [];
  if (before === null) tags.push("entered");
  if (after === null) tags.push("left");
  if (change.commendationWithdrawn) tags.push("commendationWithdrawn");
  if (change.commendationGranted) tags.push("commendationGranted");

  const movedByOthers =
    before !== null &&
    after !== null &&
    rules.length === 0 &&
    sameScore &&
    gradeBefore === gradeAfter &&
    before.vetoed === after.vetoed &&
    (move !== null || before.of !== after.of);

  return {
    key: change.unit.code,
    unit: unitName(change.unit, language),
    rank: {
      before: rankBefore,
      after: rankAfter,
      text:
        rankBefore !== null && rankBefore === rankAfter
          ? rankText(rankAfter, t, language)
          : `${rankText(rankBefore, t, language)} → ${rankText(rankAfter, t, language)}`,
      move,
      moveText,
    },
    score: {
      before: scoreBefore,
      after: scoreAfter,
      text: scoreText,
      changeText: change_ === null || change_ === 0 ? "" : signed(change_, language),
      change: change_,
    },
    grade: { before: gradeBefore, after: gradeAfter, changed: gradeBefore !== gradeAfter },
    rules,
    note: movedByOthers ? t("rankings.versions.movedByOthers") : "",
    tags,
  };
}

/** The changes as rows, the units with a change of their own first (the cause: a veto, a score,
 * a commendation) and then those that only moved because of them, each in the later version's
 * order as the API lists them. */
export function changeRows(changes: readonly Change[], t: Translate, language: string): ChangeRow[] {
  const rows = changes.map((c) => changeRow(c, t, language));
  return [...rows.filter((r) => !r.note), ...rows.filter((r) => r.note)];
}

/** The row as one sentence: "嘉善县：第 1 名 → 第 6 名（下降 5 位）；新增一票否决：…；撤销表扬". */
export function changeSentence(row: ChangeRow, t: Translate): string {
  const parts = [
    row.rank.moveText ? t("rankings.versions.rankMoved", { text: row.rank.text, move: row.rank.moveText }) : row.rank.text,
  ];
  if (row.score.changeText) parts.push(t("rankings.versions.scoreMoved", { text: row.score.text, change: row.score.changeText }));
  if (row.grade.changed) {
    const grade = (g: Grade | null) => (g ? t(`rankings.grades.${g}`) : "—");
    parts.push(t("rankings.versions.gradeMoved", { before: grade(row.grade.before), after: grade(row.grade.after) }));
  }
  parts.push(...row.rules.map((r) => r.text));
  if (row.note) parts.push(row.note);
  parts.push(...row.tags.map((tag) => t(`rankings.versions.tags.${tag}`)));
  return t("rankings.versions.sentence", { unit: row.unit, text: parts.join(t("rankings.versions.separator")) });
}

/** How many units gained or lost a commendation, for the summary line. */
export function commendationCounts(rows: readonly ChangeRow[]): { withdrawn: number; granted: number } {
  return {
    withdrawn: rows.filter((r) => r.tags.includes("commendationWithdrawn")).length,
    granted: rows.filter((r) => r.tags.includes("commendationGranted")).length,
  };
}

/** Why the changes could not be read, in words: the earlier version is unknown or its rows are
 * no longer kept; anything else as the failure says. */
export function changesFailure(error: unknown, fromVersion: number, t: Translate): string | null {
  if (error instanceof ApiError) {
    if (error.code === "NOT_FOUND") return t("rankings.versions.notFound", { version: fromVersion });
    if (error.code === "INVALID") return t("rankings.versions.notKept", { version: fromVersion });
  }
  return null;
}
