// A clicked cell's (or total's) trend over this cycle and the earlier ones of its kind: its
// percent of the maximum as a line over the bands' backgrounds, and each cycle's figures.
import { Alert, Drawer, Empty, Space, Spin, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { Chart } from "../../components/Chart";
import { formatNumber, formatPercent, formatPoints } from "../../format";
import { RankingTrendDocument, type RankingTrendQuery, type TenantLevel } from "../../gql/graphql";
import { BAND_LOOKS, cellView, percentFraction } from "./matrix";
import { useThresholdsText } from "./MatrixCells";
import type { TrendTarget } from "./MatrixTable";
import { BandTag, GradeTag } from "./parts";

const CYCLES = 6;

type Point = RankingTrendQuery["rankingTrend"][number];

type Props = {
  target: TrendTarget | null;
  shown: { cycle: string; scope: string; level: TenantLevel };
  onClose: () => void;
};

export function TrendDrawer({ target, shown, onClose }: Props) {
  const { t } = useTranslation();
  const columnName = target?.column
    ? `${target.column.code} ${target.column.title}`
    : t("rankings.trend.total");
  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      size={720}
      destroyOnHidden
      title={target ? t("rankings.trend.title", { unit: target.unitName, column: columnName }) : ""}
    >
      {target && <TrendBody target={target} shown={shown} columnName={columnName} />}
    </Drawer>
  );
}

function TrendBody({
  target,
  shown,
  columnName,
}: {
  target: TrendTarget;
  shown: Props["shown"];
  columnName: string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const thresholdsText = useThresholdsText();
  const query = useGql(RankingTrendDocument, {
    ...shown,
    unit: target.unitId,
    column: target.column?.code ?? null,
    cycles: CYCLES,
  });
  const points = useMemo(() => query.data?.rankingTrend ?? [], [query.data]);
  const isTotal = !target.column;

  /** The figure drawn: the cell's percent of its maximum, or the total's. */
  const percentOf = (p: Point) =>
    isTotal ? (p.entry?.percentOfMax ?? null) : (p.cell?.percentOfMax ?? null);

  const values = useMemo(
    () =>
      points.map((p) => {
        const percent = isTotal ? p.entry?.percentOfMax : p.cell?.percentOfMax;
        return percent === null || percent === undefined ? null : Number(percent);
      }),
    [points, isTotal],
  );

  const option = useMemo(() => {
    const green = Number(target.thresholds.green);
    const yellow = Number(target.thresholds.yellow);
    const top = Math.max(100, ...values.filter((v): v is number => v !== null));
    const area = (from: number, to: number, color: string) => [
      { yAxis: from, itemStyle: { color, opacity: 0.55 } },
      { yAxis: to },
    ];
    return {
      animation: false,
      grid: { left: 48, right: 32, top: 24, bottom: 48 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (value: number | null) =>
          value === null || value === undefined ? "—" : formatPercent(value / 100, language),
      },
      xAxis: {
        type: "category",
        data: points.map((p) => p.cycle.name),
        axisLabel: { interval: 0, width: 140, overflow: "truncate" },
      },
      yAxis: { type: "value", name: t("rankings.trend.percent"), min: 0, max: Math.ceil(top / 10) * 10 },
      series: [
        {
          name: columnName,
          type: "line",
          connectNulls: false,
          symbol: "circle",
          symbolSize: 10,
          showAllSymbol: true,
          lineStyle: { width: 3, color: "#1d39c4" },
          itemStyle: { color: "#1d39c4" },
          label: {
            show: true,
            position: "top",
            formatter: (p: { value: number }) => formatPercent(p.value / 100, language),
          },
          data: values,
          markArea: {
            silent: true,
            data: [
              area(green, Math.max(green, top), BAND_LOOKS.GREEN.background),
              area(yellow, green, BAND_LOOKS.YELLOW.background),
              area(0, yellow, BAND_LOOKS.RED.background),
            ],
          },
        },
      ],
    };
  }, [points, values, target, columnName, language, t]);

  if (query.error) return <Alert type="error" showIcon title={describeFailure(query.error, t)} />;
  if (query.isLoading) {
    return (
      <Spin tip={t("common.loading")}>
        <div style={{ minHeight: 200 }} />
      </Spin>
    );
  }
  if (points.length === 0) return <Empty description={t("rankings.trend.onlyOne")} />;

  const ranked = points.filter((p) => p.entry);
  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("rankings.trend.subtitle")}</Typography.Text>
      <Chart option={option} height={300} label={t("rankings.trend.chartLabel", { column: columnName })} />
      <Typography.Text type="secondary">
        {t("rankings.trend.bandNow")}
        {thresholdsText(target.thresholds)}
      </Typography.Text>
      {ranked.length < 2 && <Alert type="info" showIcon title={t("rankings.trend.onlyOne")} />}
      <Table<Point>
        className="trend-table"
        rowKey={(p) => p.cycle.id}
        size="small"
        pagination={false}
        dataSource={points}
        columns={[
          { key: "cycle", title: t("common.cycle"), width: 220, render: (_, p) => p.cycle.name },
          {
            key: "points",
            title: t("rankings.trend.points"),
            align: "right",
            render: (_, p) => {
              if (!p.entry)
                return <Typography.Text type="secondary">{t("rankings.trend.notRanked")}</Typography.Text>;
              if (isTotal) return formatPoints(p.entry.score, language);
              const view = cellView(p.cell);
              if (view.kind === "missing") return t("rankings.matrix.missing");
              if (view.kind === "notApplicable") return t("rankings.matrix.notApplicable");
              return (
                <span style={{ whiteSpace: "nowrap" }}>
                  {formatPoints(p.cell?.points, language)} / {formatPoints(p.cell?.maxPoints, language)}
                </span>
              );
            },
          },
          {
            key: "percent",
            title: t("rankings.trend.percentShort"),
            align: "right",
            render: (_, p) => formatPercent(percentFraction(percentOf(p)), language),
          },
          {
            key: "band",
            title: t("rankings.table.band"),
            render: (_, p) => <BandTag band={isTotal ? p.entry?.band : p.cell?.band} />,
          },
          {
            key: "rank",
            title: t("rankings.trend.rank"),
            align: "right",
            render: (_, p) =>
              p.entry ? (
                <span style={{ whiteSpace: "nowrap" }}>
                  {t("rankings.trend.rankOf", {
                    rank: formatNumber(p.entry.rank, language),
                    of: formatNumber(p.entry.of, language),
                  })}
                </span>
              ) : (
                "—"
              ),
          },
          ...(isTotal
            ? [
                {
                  key: "grade",
                  title: t("rankings.table.grade"),
                  render: (_: unknown, p: Point) =>
                    p.entry ? (
                      <Space size={4} wrap={false}>
                        <GradeTag grade={p.entry.grade} />
                        {p.entry.vetoed && (
                          <Typography.Text type="danger" style={{ whiteSpace: "nowrap" }}>
                            {t("rankings.veto.flag")}
                          </Typography.Text>
                        )}
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
