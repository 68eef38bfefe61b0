// A cycle's ranking status as a tag: never ranked, failed (with the reason), updating, or the
// published snapshot with when it was made.
import { Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import { formatDate } from "../../format";
import type { CycleRankingStatusFragment } from "../../gql/graphql";
import { rankingKind } from "./logic";

const COLORS = { never: "default", failed: "error", updating: "processing", current: "success" } as const;

export function RankingStatusTag({ status }: { status: CycleRankingStatusFragment | null | undefined }) {
  const { t, i18n } = useTranslation();
  const kind = rankingKind(status);
  const tag = (
    <Tag color={COLORS[kind]}>{t(`cycles.ranking.${kind}`, { version: status?.snapshotVersion })}</Tag>
  );
  const hint =
    kind === "failed"
      ? status?.lastError
      : status?.computedAt
        ? t("cycles.rankingAt", { time: formatDate(status.computedAt, i18n.language) })
        : null;
  return hint ? <Tooltip title={hint}>{tag}</Tooltip> : tag;
}
