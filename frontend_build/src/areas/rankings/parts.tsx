// Small pieces the rankings screens share: a grade tag, the rank movement arrow, the veto flag
// with its reasons, and the line saying which snapshot is shown.
import { ArrowDownOutlined, ArrowUpOutlined } from "@ant-design/icons";
import { Popover, Space, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDate, formatNumber } from "../../format";
import type { Grade, RankingRowFragment, RankingSnapshotInfoFragment } from "../../gql/graphql";
import { GRADE_COLORS, rankMove } from "./ranking";

export function GradeTag({ grade }: { grade: Grade | null | undefined }) {
  const { t } = useTranslation();
  if (!grade) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Tag color={GRADE_COLORS[grade]}>{t(`rankings.grades.${grade}`)}</Tag>;
}

/** Green up or red down with the steps moved; nothing when unchanged or new. */
export function RankChange({ entry }: { entry: Pick<RankingRowFragment, "rankChange" | "previousRank"> }) {
  const { t, i18n } = useTranslation();
  const move = rankMove(entry.rankChange);
  const previous =
    entry.previousRank === null
      ? t("rankings.change.new")
      : t("rankings.change.previous", { rank: formatNumber(entry.previousRank, i18n.language) });
  if (!move) {
    return (
      <Tooltip title={previous}>
        <Typography.Text type="secondary" aria-label={previous}>
          {entry.previousRank === null ? "" : "–"}
        </Typography.Text>
      </Tooltip>
    );
  }
  const up = move.direction === "up";
  const label = t(up ? "rankings.change.up" : "rankings.change.down", { steps: move.steps });
  return (
    <Tooltip title={t("rankings.change.tooltip", { move: label, previous })}>
      <span
        aria-label={`${label}, ${previous}`}
        style={{ color: up ? "#389e0d" : "#cf1322", whiteSpace: "nowrap" }}
      >
        {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {formatNumber(move.steps, i18n.language)}
      </span>
    </Tooltip>
  );
}

/** The red veto tag; its reasons (rule, reason, evidence) open on hover, focus or click. */
export function VetoTag({ reasons }: { reasons: RankingRowFragment["vetoReasons"] }) {
  const { t } = useTranslation();
  const content = (
    <div style={{ maxWidth: 380 }}>
      {reasons.length === 0 && (
        <Typography.Text type="secondary">{t("rankings.veto.noReason")}</Typography.Text>
      )}
      {reasons.map((reason, i) => (
        <div key={i} style={{ marginBottom: i < reasons.length - 1 ? 8 : 0 }}>
          <Typography.Text strong>
            {reason.rule} {reason.title}
          </Typography.Text>
          <div>
            {t("common.reason")}：{reason.reason}
          </div>
          {reason.evidence && reason.evidence !== reason.reason && (
            <Typography.Text type="secondary">
              {t("rankings.veto.evidence")}：{reason.evidence}
            </Typography.Text>
          )}
        </div>
      ))}
    </div>
  );
  return (
    <Popover title={t("rankings.veto.title")} content={content} trigger={["hover", "focus", "click"]}>
      <Tag color="red" tabIndex={0} role="button" style={{ cursor: "pointer" }}>
        {t("rankings.veto.flag")}
      </Tag>
    </Popover>
  );
}

/** Which published snapshot is shown, when, and whether it is still provisional. */
export function SnapshotLine({ snapshot }: { snapshot: RankingSnapshotInfoFragment }) {
  const { t, i18n } = useTranslation();
  return (
    <Space wrap size="small">
      <Typography.Text type="secondary">
        {t("rankings.snapshot.line", {
          version: snapshot.version,
          time: formatDate(snapshot.computedAt, i18n.language),
        })}
      </Typography.Text>
      {snapshot.provisional ? (
        <Tooltip title={t("rankings.snapshot.provisionalHint")}>
          <Tag color="orange">{t("rankings.snapshot.provisional")}</Tag>
        </Tooltip>
      ) : (
        <Tag color="green">{t("rankings.snapshot.final")}</Tag>
      )}
      <Tooltip title={t("rankings.snapshot.tieBreak")}>
        <Typography.Text type="secondary" underline style={{ cursor: "help" }} tabIndex={0}>
          {t("rankings.snapshot.howRanked")}
        </Typography.Text>
      </Tooltip>
    </Space>
  );
}
