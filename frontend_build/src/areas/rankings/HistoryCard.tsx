// The dashboard's history card: over this cycle and the ones before it, how the region's ranked
// units spread over the grades and the colour bands (stacked bars) and how many were vetoed.
import { Card, Empty, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { Chart } from "../../components/Chart";
import { formatNumber, formatPoints } from "../../format";
import { RankingHistoryDocument } from "../../gql/graphql";
import { historyRows } from "./history";
import { BAND_CHART_COLORS, BANDS } from "./matrix";
import { GRADE_CHART_COLORS, GRADES } from "./ranking";

const CYCLES = 6;

export function HistoryCard({ cycle, scope }: { cycle: string; scope: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const query = useGql(RankingHistoryDocument, { cycle, scope, cycles: CYCLES });
  const rows = useMemo(() => historyRows(query.data?.rankingHistory ?? []), [query.data]);

  const option = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 56, bottom: 40 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: rows.map((r) => r.name),
        axisLabel: { interval: 0, width: 150, overflow: "truncate" },
      },
      yAxis: { type: "value", name: t("rankings.history.units"), minInterval: 1 },
      series: [
        ...GRADES.map((grade) => ({
          name: t(`rankings.grades.${grade}`),
          type: "bar",
          stack: "grades",
          barMaxWidth: 36,
          itemStyle: { color: GRADE_CHART_COLORS[grade] },
          data: rows.map((r) => r.grades[grade]),
        })),
        ...BANDS.map((band) => ({
          name: t(`rankings.bands.${band}`),
          type: "bar",
          stack: "bands",
          barMaxWidth: 36,
          itemStyle: {
            color: BAND_CHART_COLORS[band].color,
            borderColor: BAND_CHART_COLORS[band].border,
            borderWidth: 1,
          },
          data: rows.map((r) => r.bands[band]),
        })),
        {
          name: t("rankings.history.vetoes"),
          type: "line",
          symbolSize: 8,
          itemStyle: { color: "#820014" },
          data: rows.map((r) => r.vetoCount),
        },
      ],
    }),
    [rows, t],
  );

  const published = rows.filter((r) => r.published);
  return (
    <section aria-label={t("rankings.history.title")}>
      <Card
        title={t("rankings.history.title")}
        loading={query.isLoading}
        extra={<Typography.Text type="secondary">{t("rankings.history.hint")}</Typography.Text>}
      >
        {published.length === 0 ? (
          <Empty description={t("rankings.history.none")} />
        ) : (
          <>
            <Chart option={option} height={260} label={t("rankings.history.chartLabel")} />
            {published.length === 1 && (
              <Typography.Text type="secondary">{t("rankings.history.onlyOne")}</Typography.Text>
            )}
            <Table
              rowKey="cycleId"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              style={{ marginTop: 8 }}
              dataSource={rows}
              columns={[
                { key: "cycle", title: t("common.cycle"), dataIndex: "name" },
                {
                  key: "ranked",
                  title: t("rankings.summary.ranked"),
                  align: "right",
                  render: (_, r) =>
                    r.published
                      ? `${formatNumber(r.ranked, language)} / ${formatNumber(r.assessed, language)}`
                      : t("rankings.history.unpublished"),
                },
                {
                  key: "mean",
                  title: t("rankings.summary.mean"),
                  align: "right",
                  render: (_, r) => formatPoints(r.mean, language),
                },
                {
                  key: "grades",
                  title: t("rankings.history.grades"),
                  render: (_, r) =>
                    r.published
                      ? GRADES.filter((g) => (r.grades[g] ?? 0) > 0)
                          .map((g) => `${t(`rankings.grades.${g}`)} ${formatNumber(r.grades[g], language)}`)
                          .join(" · ")
                      : "—",
                },
                {
                  key: "bands",
                  title: t("rankings.history.bands"),
                  render: (_, r) =>
                    r.published
                      ? BANDS.map(
                          (b) => `${t(`rankings.bands.${b}`)} ${formatNumber(r.bands[b], language)}`,
                        ).join(" · ")
                      : "—",
                },
                {
                  key: "vetoes",
                  title: t("rankings.history.vetoes"),
                  align: "right",
                  render: (_, r) =>
                    r.vetoCount ? (
                      <Typography.Text type="danger">{formatNumber(r.vetoCount, language)}</Typography.Text>
                    ) : (
                      formatNumber(r.vetoCount, language)
                    ),
                },
              ]}
            />
          </>
        )}
      </Card>
    </section>
  );
}
