// A comparison shown: per category (a grouped bar chart and a unit x category table, for one
// cycle) and across cycles (totals and ranks as lines, and the standings in a table).
import { Card, Form, Select, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../components/Chart";
import { formatPoints, unitName } from "../../format";
import { type CategoryRow, type Comparison, categoryRows, latestCycleWithFigures } from "./compareData";
import { CompareTrend } from "./CompareTrend";

export function CompareResults({ comparison }: { comparison: Comparison }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [picked, setPicked] = useState<string | null>(null);
  const cycleId =
    picked && comparison.cycles.some((c) => c.id === picked) ? picked : latestCycleWithFigures(comparison);
  const rows = useMemo(() => (cycleId ? categoryRows(comparison, cycleId) : []), [comparison, cycleId]);
  const units = comparison.units.map((u) => u.tenant);

  const option = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 40, bottom: 80 },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: (v: number) => formatPoints(v, language),
      },
      xAxis: {
        type: "category",
        data: rows.map((r) => `${r.code} ${r.title}`),
        axisLabel: { interval: 0, rotate: 30, width: 110, overflow: "truncate" },
      },
      yAxis: { type: "value", name: t("rankings.chart.points") },
      series: units.map((unit) => ({
        name: unitName(unit, language),
        type: "bar",
        data: rows.map((r) => (r.points[unit.id] === undefined ? null : Number(r.points[unit.id]))),
      })),
    }),
    [rows, units, language, t],
  );

  return (
    <>
      <Card
        title={t("rankings.compare.byCategory")}
        style={{ marginBottom: 16 }}
        extra={
          <Form layout="inline">
            <Form.Item label={t("common.cycle")} htmlFor="compare-category-cycle" style={{ margin: 0 }}>
              <Select
                id="compare-category-cycle"
                style={{ minWidth: 260 }}
                value={cycleId ?? undefined}
                options={comparison.cycles.map((c) => ({ value: c.id, label: c.name }))}
                onChange={(id: string) => setPicked(id)}
              />
            </Form.Item>
          </Form>
        }
      >
        {rows.length === 0 ? (
          <Typography.Text type="secondary">{t("rankings.compare.noCategories")}</Typography.Text>
        ) : (
          <>
            <Chart option={option} height={340} label={t("rankings.compare.byCategoryLabel")} />
            <Table<CategoryRow>
              rowKey="key"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={rows}
              expandable={{ defaultExpandAllRows: true }}
              columns={[
                {
                  key: "category",
                  title: t("rankings.compare.category"),
                  render: (_, row) => `${row.code} ${row.title}`,
                },
                {
                  key: "max",
                  title: t("rankings.compare.maxPoints"),
                  align: "right",
                  render: (_, row) => formatPoints(row.maxPoints, language),
                },
                ...units.map((unit) => ({
                  key: unit.id,
                  title: unitName(unit, language),
                  align: "right" as const,
                  render: (_: unknown, row: CategoryRow) => formatPoints(row.points[unit.id], language),
                })),
              ]}
            />
          </>
        )}
      </Card>
      <CompareTrend comparison={comparison} />
    </>
  );
}
