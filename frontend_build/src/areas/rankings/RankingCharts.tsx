// The dashboard's charts: every ranked unit's total as a bar (vetoed units in red, marked), and
// how the region's ranked units spread over the grades.
import { Card, Empty, Typography } from "antd";
import { useContext, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../components/Chart";
import { GradeNamesContext, gradeName } from "../../components/gradeNames";
import { formatPoints, unitName } from "../../format";
import type { RankingRowFragment, RankingSummaryQuery } from "../../gql/graphql";
import { GRADE_CHART_COLORS, GRADES } from "./ranking";

export function TotalsChart({
  entries,
  total,
  loading,
}: {
  entries: RankingRowFragment[];
  total: number;
  loading: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const option = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 40, bottom: 72 },
      legend: { data: [t("rankings.chart.total"), t("rankings.chart.vetoed")], top: 0 },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: (value: number) => formatPoints(value, language),
      },
      xAxis: {
        type: "category",
        data: entries.map((e) => unitName(e.unit, language)),
        axisLabel: { interval: 0, rotate: entries.length > 8 ? 40 : 0 },
      },
      yAxis: { type: "value", name: t("rankings.chart.points") },
      series: [
        {
          name: t("rankings.chart.total"),
          type: "bar",
          stack: "total",
          itemStyle: { color: "#1677ff" },
          data: entries.map((e) => (e.vetoed || e.score === null ? null : Number(e.score))),
          label: {
            show: entries.length <= 12,
            position: "top",
            formatter: (p: { value: number }) => formatPoints(p.value, language),
          },
        },
        {
          name: t("rankings.chart.vetoed"),
          type: "bar",
          stack: "total",
          itemStyle: { color: "#cf1322" },
          data: entries.map((e) => (e.vetoed && e.score !== null ? Number(e.score) : null)),
          label: { show: true, position: "top", formatter: () => t("rankings.veto.flag"), color: "#cf1322" },
        },
      ],
    }),
    [entries, language, t],
  );
  return (
    <Card title={t("rankings.chart.totalsTitle")} loading={loading}>
      {entries.length === 0 ? (
        <Empty description={t("rankings.table.empty")} />
      ) : (
        <>
          <Chart option={option} height={320} label={t("rankings.chart.totalsLabel")} />
          {total > entries.length && (
            <Typography.Text type="secondary">
              {t("rankings.chart.firstOnly", { count: entries.length, total })}
            </Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}

type Aggregate = NonNullable<RankingSummaryQuery["rankingAggregate"]>;

export function GradeChart({
  aggregate,
  loading,
}: {
  aggregate: Aggregate | null | undefined;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const counts = aggregate?.gradeCounts ?? [];
  const names = useContext(GradeNamesContext);
  const option = useMemo(
    () => ({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["38%", "70%"],
          center: ["50%", "45%"],
          label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
          data: GRADES.map((grade) => ({
            name: gradeName(names, grade) ?? t(`rankings.grades.${grade}`),
            value: counts.find((c) => c.grade === grade)?.count ?? 0,
            itemStyle: { color: GRADE_CHART_COLORS[grade] },
          })).filter((d) => d.value > 0),
        },
      ],
    }),
    [counts, t, names],
  );
  const any = counts.some((c) => c.count > 0);
  return (
    <Card title={t("rankings.chart.gradesTitle")} loading={loading}>
      {any ? (
        <Chart option={option} height={320} label={t("rankings.chart.gradesLabel")} />
      ) : (
        <Empty description={t("rankings.table.empty")} />
      )}
    </Card>
  );
}
