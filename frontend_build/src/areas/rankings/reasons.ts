// Why a unit is on a leaders' list, in the reader's language: the API's reason kinds turned
// into sentences from the ranking entry's own figures (its `text` is English only).
import { formatNumber, formatPoints } from "../../format";
import type { RankingRowFragment } from "../../gql/graphql";

type Reason = { kind: string; text: string };
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function reasonTexts(
  reasons: readonly Reason[],
  entry: RankingRowFragment,
  scopeName: string,
  t: Translate,
  language: string,
): string[] {
  let veto = 0;
  let yellow = 0;
  return reasons.map((reason) => {
    switch (reason.kind) {
      case "rank":
        // In groups (分类考核) the rank is within the unit's group.
        return t(entry.groupName ? "rankings.reason.rankInGroup" : "rankings.reason.rank", {
          rank: formatNumber(entry.rank, language),
          of: formatNumber(entry.of, language),
          scope: scopeName,
          ...(entry.groupName ? { group: entry.groupName } : {}),
        });
      case "grade":
        return t("rankings.reason.grade", {
          points: formatPoints(entry.score, language),
          grade: entry.grade ? t(`rankings.grades.${entry.grade}`) : "—",
        });
      case "veto": {
        const found = entry.vetoReasons[veto++];
        return found ? t("rankings.reason.veto", { title: found.title, reason: found.reason }) : reason.text;
      }
      case "yellow_card": {
        const found = entry.yellowCards[yellow++];
        return found ? t("rankings.reason.yellowCard", { title: found.title, reason: found.reason }) : reason.text;
      }
      case "unqualified":
        return t("rankings.reason.unqualified", { points: formatPoints(entry.score, language) });
      case "overdue_major_hazards":
        return t("rankings.reason.overdue", { count: entry.overdueMajorHazards });
      default:
        return reason.text;
    }
  });
}
