// Accidents year on year, as the Guangyuan report prints them: counts and deaths by class, this
// year against last year, the change and percent; a bar chart of the same; the units below.
import { Card, DatePicker, Form, Space, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { Chart } from "../../components/Chart";
import { UnitSelect } from "../../components/UnitSelect";
import { formatDate, formatNumber, formatPercent, unitName } from "../../format";
import { LedgerAccidentStatisticsDocument, type YearOnYearFieldsFragment } from "../../gql/graphql";
import { rangeToPeriod, signed, yoyChartOption, yoyRows, type YoyRow } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { PrintReportButton } from "../../components/PrintReportButton";

function yoyColumns(prefix: string, title: string, pick: (row: YoyRow) => YearOnYearFieldsFragment, language: string, t: (k: string) => string) {
  return {
    title,
    children: [
      { title: t("ledgers.stats.current"), key: `${prefix}-c`, align: "right" as const, render: (_: unknown, r: YoyRow) => formatNumber(Number(pick(r).current), language) },
      { title: t("ledgers.stats.previous"), key: `${prefix}-p`, align: "right" as const, render: (_: unknown, r: YoyRow) => formatNumber(Number(pick(r).previous), language) },
      { title: t("ledgers.stats.change"), key: `${prefix}-d`, align: "right" as const, render: (_: unknown, r: YoyRow) => signed(pick(r).change) },
      {
        title: t("ledgers.stats.percent"),
        key: `${prefix}-pc`,
        align: "right" as const,
        render: (_: unknown, r: YoyRow) => {
          const p = pick(r).percent;
          return p == null ? "—" : `${Number(p) > 0 ? "+" : ""}${formatPercent(Number(p) / 100, language)}`;
        },
      },
    ],
  };
}

export function AccidentStatistics({ defaultNodeId }: { defaultNodeId: string | null }) {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const [nodeId, setNodeId] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null]>([dayjs().startOf("year"), dayjs()]);
  const unit = nodeId ?? defaultNodeId;
  const period = rangeToPeriod(range);
  const query = useGql(
    LedgerAccidentStatisticsDocument,
    { nodeId: unit ?? "", period: period ?? { start: "", end: "" } },
    { enabled: !!unit && !!period },
  );
  const stats = query.data?.accidentStatistics;
  const label = (c: string) => t(`ledgers.classes.${c}`);
  const option = useMemo(
    () =>
      stats &&
      yoyChartOption(stats, label, {
        current: t("ledgers.stats.current"),
        previous: t("ledgers.stats.previous"),
        count: t("ledgers.stats.count"),
        deaths: t("ledgers.accidents.deaths"),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [stats, i18n.language],
  );

  return (
    <Card
      title={t("ledgers.stats.accidentsTitle")}
      style={{ marginTop: 24 }}
      extra={
        unit &&
        period && (
          <PrintReportButton
            size="small"
            request={{ kind: "STATISTICS", nodeId: unit, period }}
            label={t("ledgers.stats.printReport")}
            labels={{ period: t("ledgers.stats.period"), nodeId: t("common.unit") }}
          />
        )
      }
    >
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("common.unit")} htmlFor="accident-stats-unit">
          <UnitSelect id="accident-stats-unit" filter={{ subtreeOf: user?.node.id }} value={unit} onChange={(id) => setNodeId(id)} />
        </Form.Item>
        <Form.Item label={t("ledgers.stats.period")} htmlFor="accident-stats-period">
          <DatePicker.RangePicker id={{ start: "accident-stats-period" }} value={range} allowClear={false} onChange={(v) => v && setRange(v)} />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      {stats && (
        <Space orientation="vertical" style={{ width: "100%" }} size="large">
          <Typography.Text type="secondary">
            {t("ledgers.stats.compared", {
              unit: unitName(stats.unit, i18n.language),
              start: formatDate(stats.start, i18n.language),
              end: formatDate(stats.end, i18n.language),
              previousStart: formatDate(stats.previousStart, i18n.language),
              previousEnd: formatDate(stats.previousEnd, i18n.language),
            })}
          </Typography.Text>
          <Table<YoyRow>
            aria-label={t("ledgers.stats.byClassTable")}
            rowKey="key"
            size="small"
            bordered
            pagination={false}
            scroll={{ x: true }}
            dataSource={yoyRows(stats)}
            rowClassName={(r) => (r.key === "TOTAL" ? "ant-table-row-selected" : "")}
            columns={[
              { title: t("ledgers.accidents.class"), dataIndex: "label", render: (l: string) => (l === "TOTAL" ? t("ledgers.stats.total") : label(l)) },
              yoyColumns("count", t("ledgers.stats.count"), (r) => r.count, i18n.language, t),
              yoyColumns("deaths", t("ledgers.accidents.deaths"), (r) => r.deaths, i18n.language, t),
            ]}
          />
          {option && <Chart option={option} label={t("ledgers.stats.chartLabel")} height={320} />}
          {stats.byUnit.length > 0 && (
            <Table
              rowKey={(r) => r.unit.id}
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={stats.byUnit}
              columns={[
                { title: t("common.unit"), key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
                { title: `${t("ledgers.stats.count")} ${t("ledgers.stats.current")}`, key: "cc", align: "right", render: (_, r) => formatNumber(Number(r.count.current), i18n.language) },
                { title: `${t("ledgers.stats.count")} ${t("ledgers.stats.previous")}`, key: "cp", align: "right", render: (_, r) => formatNumber(Number(r.count.previous), i18n.language) },
                { title: `${t("ledgers.accidents.deaths")} ${t("ledgers.stats.current")}`, key: "dc", align: "right", render: (_, r) => formatNumber(Number(r.deaths.current), i18n.language) },
                { title: `${t("ledgers.accidents.deaths")} ${t("ledgers.stats.previous")}`, key: "dp", align: "right", render: (_, r) => formatNumber(Number(r.deaths.previous), i18n.language) },
              ]}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
