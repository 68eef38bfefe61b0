// The matrix's cells: a column's header, a unit's cell (percent and points, banded; missing as a
// dash, not applicable in grey; details in a tooltip), an average cell, and the band legend.
import { Space, Tooltip, Typography } from "antd";
import type { KeyboardEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber, formatPercent, formatPoints } from "../../format";
import type { Band, BandLimitsFragment, MatrixCellFieldsFragment } from "../../gql/graphql";
import {
  BAND_LOOKS,
  BANDS,
  bandOf,
  cellView,
  type CellLook,
  MISSING_LOOK,
  NOT_APPLICABLE_LOOK,
  percentFraction,
} from "./matrix";

export type ColumnInfo = { code: string; title: string; maxPoints: string; thresholds: BandLimitsFragment };

function number(value: string, language: string) {
  return formatNumber(Number(value), language);
}

/** "绿色 ≥ 90%，黄色 ≥ 60%，红色 < 60%". */
export function useThresholdsText() {
  const { t, i18n } = useTranslation();
  return (thresholds: BandLimitsFragment) =>
    t("rankings.matrix.thresholds", {
      green: number(thresholds.green, i18n.language),
      yellow: number(thresholds.yellow, i18n.language),
    });
}

export function ColumnHeader({ column }: { column: ColumnInfo }) {
  const { t, i18n } = useTranslation();
  const thresholdsText = useThresholdsText();
  const maxPoints = t("rankings.matrix.maxPoints", { points: number(column.maxPoints, i18n.language) });
  return (
    <Tooltip
      title={
        <>
          <div>
            <strong>
              {column.code} {column.title}
            </strong>
          </div>
          <div>{maxPoints}</div>
          <div>{thresholdsText(column.thresholds)}</div>
        </>
      }
    >
      <div className="matrix-head">
        <div className="matrix-head-title">
          <span className="matrix-head-code">{column.code}</span> {column.title}
        </div>
        <div className="matrix-head-max">{maxPoints}</div>
      </div>
    </Tooltip>
  );
}

/** A focusable element that Enter or Space activates (a click reaches its table cell). */
export function activate(handler: () => void) {
  return {
    role: "button",
    tabIndex: 0,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        handler();
      }
    },
  } as const;
}

export function MatrixCellContent({
  cell,
  column,
  unit,
  region,
  onTrend,
}: {
  cell: MatrixCellFieldsFragment | undefined;
  column: ColumnInfo;
  unit: string;
  /** A region's row: its cells are the mean over its units. */
  region: boolean;
  onTrend: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const thresholdsText = useThresholdsText();
  const view = cellView(cell);
  const heading = (
    <div>
      <strong>
        {column.code} {column.title}
      </strong>
    </div>
  );
  let text: string;
  let body: ReactNode;
  let details: ReactNode;
  if (view.kind === "missing") {
    text = t("rankings.matrix.missing");
    body = <span className="matrix-cell-main">—</span>;
    details = <div>{t("rankings.matrix.missingHint")}</div>;
  } else if (view.kind === "notApplicable") {
    text = t("rankings.matrix.notApplicable");
    body = <span className="matrix-cell-na">{t("rankings.matrix.notApplicable")}</span>;
    details = <div>{t("rankings.matrix.notApplicableHint")}</div>;
  } else {
    const scored = cell!;
    const percent = formatPercent(percentFraction(scored.percentOfMax), language);
    const points = t("rankings.matrix.cellPoints", {
      points: formatPoints(scored.points, language),
      max: formatPoints(scored.maxPoints ?? column.maxPoints, language),
    });
    text = percent;
    body = (
      <>
        <span className="matrix-cell-main">{percent}</span>
        <span className="matrix-cell-sub">{formatPoints(scored.points, language)}</span>
      </>
    );
    details = (
      <>
        <div>{points}</div>
        <div>{t("rankings.matrix.cellPercent", { percent })}</div>
        {scored.band && (
          <div>{t("rankings.matrix.cellBand", { band: t(`rankings.bands.${scored.band}`) })}</div>
        )}
        {region && <div>{t("rankings.matrix.cellRegion", { count: scored.counted })}</div>}
        {scored.figure !== null && (
          <div>{t("rankings.matrix.cellFigure", { figure: formatPoints(scored.figure, language) })}</div>
        )}
      </>
    );
  }
  return (
    <Tooltip
      title={
        <>
          {heading}
          {details}
          <div>{thresholdsText(column.thresholds)}</div>
          <div style={{ opacity: 0.75 }}>{t("rankings.matrix.cellOpen")}</div>
        </>
      }
    >
      <div
        className="matrix-cell"
        data-state={cell?.state ?? "MISSING"}
        data-band={cell?.band ?? ""}
        aria-label={t("rankings.matrix.cellLabel", {
          unit,
          column: `${column.code} ${column.title}`,
          value: text,
        })}
        {...activate(onTrend)}
      >
        {body}
      </div>
    </Tooltip>
  );
}

/** A column's average over the filtered rows: the mean percent, banded, and what was counted. */
export function AverageCell({
  percent,
  thresholds,
  counted,
  missing,
  notApplicable,
}: {
  percent: string | null | undefined;
  thresholds: BandLimitsFragment;
  counted?: number;
  missing?: number;
  notApplicable?: number;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const band = bandOf(percent, thresholds);
  // No mean: every row is not applicable (grey N/A), or some are missing (a dash, never 0).
  const onlyNotApplicable = !!notApplicable && !missing;
  const look = band ? BAND_LOOKS[band] : onlyNotApplicable ? NOT_APPLICABLE_LOOK : MISSING_LOOK;
  const counts = [
    counted !== undefined ? t("rankings.matrix.counted", { count: counted }) : null,
    missing ? t("rankings.matrix.missingCount", { count: missing }) : null,
    notApplicable ? t("rankings.matrix.notApplicableCount", { count: notApplicable }) : null,
  ].filter(Boolean);
  return (
    <div className="matrix-average" data-band={band ?? ""}>
      <span className="matrix-average-value" style={{ background: look.background, color: look.color }}>
        {band
          ? formatPercent(percentFraction(percent), language)
          : onlyNotApplicable
            ? t("rankings.matrix.notApplicable")
            : "—"}
      </span>
      {counts.length > 0 && <span className="matrix-cell-sub">{counts.join(" · ")}</span>}
    </div>
  );
}

function Swatch({ look, dashed, children }: { look: CellLook; dashed?: boolean; children: ReactNode }) {
  return (
    <span
      className="matrix-swatch"
      style={{
        background: look.background,
        color: look.color,
        ...(dashed ? { borderStyle: "dashed", borderColor: "#bfbfbf" } : {}),
      }}
    >
      {children}
    </span>
  );
}

/** The bands of the total at the rows' level, and how missing and not-applicable cells look. */
export function BandLegend({ thresholds }: { thresholds: BandLimitsFragment }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const range = (band: Band) =>
    band === "GREEN"
      ? `≥ ${number(thresholds.green, language)}%`
      : band === "YELLOW"
        ? `≥ ${number(thresholds.yellow, language)}%`
        : `< ${number(thresholds.yellow, language)}%`;
  return (
    <Space size={4} wrap aria-label={t("rankings.matrix.legend")}>
      <Typography.Text type="secondary">{t("rankings.matrix.legend")}</Typography.Text>
      {BANDS.map((band) => (
        <Swatch key={band} look={BAND_LOOKS[band]}>
          {t(`rankings.bands.${band}`)} {range(band)}
        </Swatch>
      ))}
      <Swatch look={MISSING_LOOK} dashed>
        — {t("rankings.matrix.missing")}
      </Swatch>
      <Swatch look={NOT_APPLICABLE_LOOK}>{t("rankings.matrix.notApplicable")}</Swatch>
    </Space>
  );
}
