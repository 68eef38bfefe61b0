// The accident ledger: the list with its filters, recording and correcting, then the vetoes
// accidents fire and the year-on-year statistics.
import { Button, DatePicker, Drawer, Form, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { formatDate, formatNumber, unitName } from "../../format";
import { type AccidentClass, type AccidentRowFragment, LedgerAccidentsDocument } from "../../gql/graphql";
import { AccidentForm } from "./AccidentForm";
import { AccidentStatistics } from "./AccidentStatistics";
import { AccidentVetoes } from "./AccidentVetoes";
import { LedgerHistory } from "./LedgerHistory";
import { CLASS_COLORS, rangeToPeriod, shortTime } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { nowrap } from "./cells";

export function AccidentsTab() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [nodeId, setNodeId] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [accidentClass, setAccidentClass] = useState<AccidentClass | null>(null);
  const [editing, setEditing] = useState<AccidentRowFragment | null | undefined>(undefined);
  const [showing, setShowing] = useState<AccidentRowFragment | null>(null);
  const canKeep = hasRole(user, ["SUBMITTER", "ASSESSOR", "ADMIN"]);

  const filter = { nodeId, period: rangeToPeriod(range), accidentClass };
  const query = useGql(LedgerAccidentsDocument, { filter, first: paging.first, after: paging.after });
  const connection = query.data?.accidents;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  /** The day it happened, with its time of day when known. */
  const occurred = (a: AccidentRowFragment) =>
    [formatDate(a.occurredOn, i18n.language), shortTime(a.occurredTime)].filter(Boolean).join(" ");
  /** How it was reported; a late report with the hours it was late by. */
  const reporting = (a: AccidentRowFragment) =>
    a.reportStatus === "LATE" && a.lateReportHours != null
      ? t("ledgers.accidents.lateHours", { hours: a.lateReportHours })
      : t(`ledgers.reportStatuses.${a.reportStatus}`);

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("ledgers.accidents.heading")}</Typography.Title>
        {canKeep && (
          <Button type="primary" onClick={() => setEditing(null)}>
            {t("ledgers.accidents.record")}
          </Button>
        )}
      </div>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("common.unit")} htmlFor="accident-filter-unit">
          <UnitSelect
            id="accident-filter-unit"
            filter={{ subtreeOf: user?.node.id }}
            value={nodeId}
            allowClear
            onChange={(id) => {
              setNodeId(id ?? null);
              paging.reset();
            }}
          />
        </Form.Item>
        <Form.Item label={t("ledgers.accidents.occurredOn")} htmlFor="accident-filter-period">
          <DatePicker.RangePicker
            id={{ start: "accident-filter-period" }}
            value={range}
            onChange={(value) => {
              setRange(value);
              paging.reset();
            }}
          />
        </Form.Item>
        <Form.Item label={t("ledgers.accidents.class")} htmlFor="accident-filter-class">
          <Select
            id="accident-filter-class"
            allowClear
            style={{ minWidth: 140 }}
            value={accidentClass}
            placeholder={t("common.all")}
            onChange={(value) => {
              setAccidentClass(value ?? null);
              paging.reset();
            }}
            options={(["GENERAL", "LARGER", "MAJOR", "ESPECIALLY_SERIOUS"] as const).map((c) => ({
              value: c,
              label: t(`ledgers.classes.${c}`),
            }))}
          />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      <Table<AccidentRowFragment>
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={rows}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("common.empty") }}
        columns={[
          { title: t("ledgers.accidents.occurredOn"), onCell: nowrap, key: "occurredOn", render: (_, a) => occurred(a) },
          { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, a) => unitName(a.unit, i18n.language) },
          { title: t("ledgers.accidents.title"), dataIndex: "title", onCell: () => ({ style: { minWidth: 200 } }) },
          { title: t("ledgers.sector"), onCell: nowrap, key: "sector", render: (_, a) => t(`ledgers.sectors.${a.sector}`) },
          {
            title: t("ledgers.accidents.class"),
            onCell: nowrap,
            dataIndex: "accidentClass",
            render: (c: AccidentClass) => <Tag color={CLASS_COLORS[c]}>{t(`ledgers.classes.${c}`)}</Tag>,
          },
          { title: t("ledgers.accidents.deaths"), dataIndex: "deaths", align: "right" },
          { title: t("ledgers.accidents.injuries"), dataIndex: "seriousInjuries", align: "right" },
          {
            title: t("ledgers.accidents.lossWan"),
            dataIndex: "directLoss",
            align: "right",
            render: (loss: string) => formatNumber(Number(loss) / 10000, i18n.language),
          },
          {
            title: t("ledgers.accidents.reportStatus"),
            onCell: nowrap,
            key: "reportStatus",
            render: (_, a) => (
              <Tag color={a.reportStatus === "ON_TIME" ? "green" : "red"}>{reporting(a)}</Tag>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            onCell: nowrap,
            render: (_, a) => (
              <Space>
                <Button size="small" onClick={() => setShowing(a)}>
                  {t("common.details")}
                </Button>
                {canKeep && (
                  <Button size="small" onClick={() => setEditing(a)}>
                    {t("ledgers.accidents.correct")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <AccidentForm
        open={editing !== undefined}
        accident={editing}
        onClose={() => setEditing(undefined)}
        onReload={() => {
          setEditing(undefined);
          void query.refetch();
        }}
      />
      <Drawer open={!!showing} onClose={() => setShowing(null)} title={showing?.title} size={520}>
        {showing && (
          <>
            <Typography.Paragraph>{showing.description || "—"}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">
              {t("ledgers.accidents.occurredOn")}: {occurred(showing)} · {reporting(showing)}
              <br />
              {t("ledgers.accidents.reportedAt")}: {formatDate(showing.reportedAt, i18n.language)}
              {showing.discoveredOn &&
                ` · ${t("ledgers.accidents.discoveredOn")}: ${formatDate(showing.discoveredOn, i18n.language)}`}
            </Typography.Paragraph>
            <LedgerHistory events={showing.history} />
          </>
        )}
      </Drawer>
      <AccidentVetoes nodeId={nodeId ?? user?.node.id ?? null} />
      <AccidentStatistics defaultNodeId={nodeId ?? user?.node.id ?? null} />
    </>
  );
}
