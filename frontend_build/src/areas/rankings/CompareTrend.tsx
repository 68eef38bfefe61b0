// The compared units across cycles: totals and ranks as lines, and each cycle's standing
// (state, total, rank, grade, veto) in a table.
import { Card, Col, Row, Space, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../components/Chart";
import { formatNumber, formatPoints, unitName } from "../../format";
import { type Comparison, cycleSeries } from "./compareData";
import { GradeTag } from "./parts";

type Standing = Comparison["units"][number]["standings"][number];

export function CompareTrend({ comparison }: { comparison: Comparison }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const series = useMemo(() => cycleSeries(comparison), [comparison]);
  const [totals, ranks] = useMemo(() => {
    const names = new Map(comparison.units.map((u) => [u.tenant.id, unitName(u.tenant, language)]));
    const line = (kind: "totals" | "ranks") => ({
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: {
        type: "category",
        data: series.cycles.map((c) => c.name),
        axisLabel: { interval: 0, width: 130, overflow: "truncate" },
      },
      yAxis:
        kind === "totals"
          ? { type: "value", name: t("rankings.chart.points"), scale: true }
          : {
              type: "value",
              name: t("rankings.table.rank"),
              nameLocation: "start",
              inverse: true,
              min: 1,
              minInterval: 1,
            },
      series: series.units.map((unit) => ({
        name: names.get(unit.id),
        type: "line",
        connectNulls: false,
        symbolSize: 8,
        data: kind === "totals" ? unit.totals : unit.ranks,
      })),
    });
    return [line("totals"), line("ranks")];
  }, [comparison, series, language, t]);

  const standing = (unitId: string, cycleId: string): Standing | undefined =>
    comparison.units.find((u) => u.tenant.id === unitId)?.standings.find((s) => s.cycle.id === cycleId);

  return (
    <Card title={t("rankings.compare.overCycles")}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Typography.Text strong>{t("rankings.compare.totalsTrend")}</Typography.Text>
          <Chart option={totals} height={280} label={t("rankings.compare.totalsTrend")} />
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Text strong>{t("rankings.compare.ranksTrend")}</Typography.Text>
          <Chart option={ranks} height={280} label={t("rankings.compare.ranksTrend")} />
        </Col>
      </Row>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        style={{ marginTop: 16 }}
        dataSource={comparison.units.map((u) => u.tenant)}
        columns={[
          { key: "unit", title: t("common.unit"), render: (_, unit) => unitName(unit, language) },
          ...series.cycles.map((cycle) => ({
            key: cycle.id,
            title: cycle.name,
            render: (_: unknown, unit: { id: string }) => {
              const s = standing(unit.id, cycle.id);
              if (!s || s.total === null) {
                return <Typography.Text type="secondary">{t("rankings.compare.notRanked")}</Typography.Text>;
              }
              return (
                <Space size={4} wrap>
                  <span>{formatPoints(s.total, language)}</span>
                  {s.rank !== null && (
                    <Typography.Text type="secondary">
                      {t("rankings.lists.rankOf", {
                        rank: formatNumber(s.rank, language),
                        of: formatNumber(s.of, language),
                      })}
                    </Typography.Text>
                  )}
                  <GradeTag grade={s.grade} />
                  {s.vetoed && <Typography.Text type="danger">{t("rankings.veto.flag")}</Typography.Text>}
                </Space>
              );
            },
          })),
        ]}
      />
    </Card>
  );
}
