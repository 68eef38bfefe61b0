// Small pieces the rankings screens share: a grade tag, the rank and score movement arrows, the
// band tag, the veto flag with its reasons, and the line saying which snapshot is shown.
import { ArrowDownOutlined, ArrowUpOutlined } from "@ant-design/icons";
import { Popover, Space, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useGradeName } from "../../components/gradeNames";
import { formatDate, formatNumber, formatPoints } from "../../format";
import type { Band, Grade, RankingRowFragment, RankingSnapshotInfoFragment, Trend } from "../../gql/graphql";
import { BAND_LOOKS, trendArrow } from "./matrix";
import { GRADE_COLORS, rankMove } from "./ranking";

export function GradeTag({ grade }: { grade: Grade | null | undefined }) {
  const { t } = useTranslation();
  const named = useGradeName(grade);
  if (!grade) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Tag color={GRADE_COLORS[grade]}>{named ?? t(`rankings.grades.${grade}`)}</Tag>;
}

/**
 * Green up or red down with the places moved, once the server judged the move big enough (the
 * template's least change); a dash otherwise, nothing when new.
 */
export function RankChange({
  entry,
}: {
  entry: Pick<RankingRowFragment, "rankChange" | "previousRank"> & { rankTrend?: Trend | null };
}) {
  const { t, i18n } = useTranslation();
  const move = rankMove(entry.rankChange);
  const arrow = entry.rankTrend === undefined ? (move?.direction ?? null) : trendArrow(entry.rankTrend);
  const previous =
    entry.previousRank === null
      ? t("rankings.change.new")
      : t("rankings.change.previous", { rank: formatNumber(entry.previousRank, i18n.language) });
  if (!move || !arrow) {
    return (
      <Tooltip title={previous}>
        <Typography.Text type="secondary" aria-label={previous}>
          {entry.previousRank === null ? "" : "–"}
        </Typography.Text>
      </Tooltip>
    );
  }
  const up = arrow === "up";
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

/** The score against the previous cycle: an arrow once the server's trend says it moved enough. */
export function ScoreChange({
  entry,
}: {
  entry: Pick<RankingRowFragment, "scoreChange" | "previousScore" | "scoreTrend">;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  if (entry.scoreTrend === "NEW" || entry.scoreChange === null || entry.previousScore === null) {
    return (
      <Typography.Text type="secondary" aria-label={t("rankings.scoreTrend.new")}>
        {entry.scoreTrend === "NEW" ? t("rankings.scoreTrend.newShort") : ""}
      </Typography.Text>
    );
  }
  const change = Number(entry.scoreChange);
  const signed = `${change > 0 ? "+" : ""}${formatPoints(change, language)}`;
  const arrow = trendArrow(entry.scoreTrend);
  const previous = t("rankings.scoreTrend.previous", { points: formatPoints(entry.previousScore, language) });
  const label = arrow
    ? t(arrow === "up" ? "rankings.scoreTrend.up" : "rankings.scoreTrend.down", {
        change: formatPoints(Math.abs(change), language),
      })
    : t("rankings.scoreTrend.steady", { change: signed });
  return (
    <Tooltip title={t("rankings.scoreTrend.tooltip", { move: label, previous })}>
      <span
        aria-label={`${label}, ${previous}`}
        style={{
          color: arrow === "up" ? "#389e0d" : arrow === "down" ? "#cf1322" : "rgba(0,0,0,0.45)",
          whiteSpace: "nowrap",
        }}
      >
        {arrow === "up" && <ArrowUpOutlined />}
        {arrow === "down" && <ArrowDownOutlined />}
        {arrow ? " " : ""}
        {signed}
      </span>
    </Tooltip>
  );
}

/** A total's colour band as a small coloured tag with its name. */
export function BandTag({ band }: { band: Band | null | undefined }) {
  const { t } = useTranslation();
  if (!band) return null;
  const look = BAND_LOOKS[band];
  return (
    <Tag
      style={{ background: look.background, color: look.color, borderColor: look.color, marginInlineEnd: 0 }}
    >
      {t(`rankings.bands.${band}`)}
    </Tag>
  );
}

/** The red veto tag, or the gold yellow-card tag; its reasons (rule, reason, evidence) open on
 * hover, focus or click. */
export function VetoTag({
  reasons,
  yellowCard = false,
}: {
  reasons: RankingRowFragment["vetoReasons"];
  yellowCard?: boolean;
}) {
  const { t } = useTranslation();
  const words = yellowCard ? "rankings.yellowCard" : "rankings.veto";
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
    <Popover title={t(`${words}.title`)} content={content} trigger={["hover", "focus", "click"]}>
      <Tag color={yellowCard ? "gold" : "red"} tabIndex={0} role="button" style={{ cursor: "pointer" }}>
        {t(`${words}.flag`)}
      </Tag>
    </Popover>
  );
}

/** A ranking entry's veto and yellow-card tags (none when it has neither). */
export function RuleTags({ entry }: { entry: Pick<RankingRowFragment, "vetoed" | "vetoReasons" | "yellowCards"> }) {
  return (
    <Space size={4} wrap>
      {entry.vetoed && <VetoTag reasons={entry.vetoReasons} />}
      {entry.yellowCards.length > 0 && <VetoTag reasons={entry.yellowCards} yellowCard />}
    </Space>
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
