// A unit's hidden-hazard figures for a period: found, rectified and the rectification rate,
// major ones, overdue, listed; and per unit below.
import { Card, Col, DatePicker, Form, Row, Statistic, Table } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { formatNumber, formatPercent, unitName } from "../../format";
import { LedgerHazardStatisticsDocument } from "../../gql/graphql";
import { rangeToPeriod } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { PrintReportButton } from "../../components/PrintReportButton";

export function HazardStatistics({ nodeId }: { nodeId: string | null }) {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null]>([dayjs().startOf("year"), dayjs()]);
  const period = rangeToPeriod(range);
  const query = useGql(
    LedgerHazardStatisticsDocument,
    { nodeId: nodeId ?? "", period: period ?? { start: "", end: "" } },
    { enabled: !!nodeId && !!period },
  );
  const stats = query.data?.hazardStatistics;
  const pct = (v: string) => formatPercent(Number(v) / 100, i18n.language);
  return (
    <Card
      title={t("ledgers.hazards.statsTitle")}
      style={{ marginTop: 24 }}
      extra={
        nodeId &&
        period && (
          <PrintReportButton
            size="small"
            request={{ kind: "STATISTICS", nodeId, period }}
            label={t("ledgers.stats.printReport")}
            labels={{ period: t("ledgers.stats.period"), nodeId: t("common.unit") }}
          />
        )
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("ledgers.stats.period")} htmlFor="hazard-stats-period">
          <DatePicker.RangePicker id={{ start: "hazard-stats-period" }} value={range} allowClear={false} onChange={(v) => v && setRange(v)} />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      {stats && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.found")} value={formatNumber(stats.found, i18n.language)} /></Col>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.rectified")} value={formatNumber(stats.rectified, i18n.language)} /></Col>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.rate")} value={pct(stats.rectificationRate)} /></Col>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.majorRate")} value={`${pct(stats.majorRectificationRate)} (${stats.majorRectified}/${stats.majorFound})`} /></Col>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.overdueCount")} value={formatNumber(stats.overdue, i18n.language)} /></Col>
            <Col xs={12} md={4}><Statistic title={t("ledgers.hazards.listedOverdue")} value={formatNumber(stats.listedOverdue, i18n.language)} /></Col>
          </Row>
          {stats.byUnit.length > 0 && (
            <Table
              rowKey={(r) => r.unit.id}
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={stats.byUnit}
              columns={[
                { title: t("common.unit"), key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
                { title: t("ledgers.hazards.found"), dataIndex: "found", align: "right" },
                { title: t("ledgers.hazards.rectified"), dataIndex: "rectified", align: "right" },
                { title: t("ledgers.hazards.rate"), key: "rate", align: "right", render: (_, r) => pct(r.rectificationRate) },
                { title: t("ledgers.hazards.overdueCount"), dataIndex: "overdue", align: "right" },
                { title: t("ledgers.hazards.overdueMajor"), dataIndex: "overdueMajor", align: "right" },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}
