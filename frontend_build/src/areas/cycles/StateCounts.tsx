// A cycle's assessments per state: a stacked bar with a legend of counts (in a table: the bar,
// read out whole by screen readers, and how many are final).
import { Space, Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../format";
import { segments, STATE_COLORS, type StateCount } from "./logic";

type Props = { counts: readonly StateCount[]; compact?: boolean };

export function StateCounts({ counts, compact = false }: Props) {
  const { t, i18n } = useTranslation();
  const { total, parts } = segments(counts);
  const summary = parts
    .map((p) => `${t(`assessments.states.${p.state}`)} ${formatNumber(p.count, i18n.language)}`)
    .join("，");
  if (total === 0) return <span>—</span>;
  return (
    <div style={{ minWidth: compact ? 140 : undefined }}>
      <div
        role="img"
        aria-label={t("cycles.countsLabel", { summary })}
        style={{
          display: "flex",
          height: compact ? 10 : 18,
          borderRadius: 4,
          overflow: "hidden",
          background: "#f0f0f0",
          marginBottom: compact ? 4 : 12,
        }}
      >
        {parts.map((p) => (
          <Tooltip key={p.state} title={`${t(`assessments.states.${p.state}`)}: ${p.count}`}>
            <div style={{ width: `${p.share * 100}%`, background: STATE_COLORS[p.state] }} />
          </Tooltip>
        ))}
      </div>
      {compact ? (
        <span style={{ fontSize: 12, whiteSpace: "nowrap" }}>
          {t("cycles.finalOf", {
            final: formatNumber(parts.find((p) => p.state === "FINAL")?.count ?? 0, i18n.language),
            total: formatNumber(total, i18n.language),
          })}
        </span>
      ) : (
      <Space size={[4, 4]} wrap>
        {parts.map((p) => (
          <Tag key={p.state} color={STATE_COLORS[p.state]}>
            {t(`assessments.states.${p.state}`)} {formatNumber(p.count, i18n.language)}
          </Tag>
        ))}
      </Space>
      )}
    </div>
  );
}
