// The cycles of the user's province: name, level, period, dues, state, template, owner, the
// assessments per state and the ranking status, a page at a time; admins open new ones here.
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Select, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, unitName } from "../../format";
import { type CycleState, type CyclesListQuery, CyclesListDocument } from "../../gql/graphql";
import { OpenCycleModal } from "./OpenCycleModal";
import { RankingStatusTag } from "./RankingStatusTag";
import { StateCounts } from "./StateCounts";

type Row = CyclesListQuery["cycles"]["edges"][number]["node"];

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });

export function CyclesPage() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const [state, setState] = useState<CycleState | null>(null);
  const [opening, setOpening] = useState(false);
  const paging = useCursorPaging(20);
  const query = useGql(CyclesListDocument, {
    filter: state ? { state } : null,
    first: paging.first,
    after: paging.after,
  });
  const rows = query.data?.cycles.edges.map((e) => e.node) ?? [];
  const lang = i18n.language;

  const columns: ColumnsType<Row> = [
    {
      title: t("cycles.columns.name"),
      dataIndex: "name",
      width: 260,
      render: (name: string, row) => (
        <div>
          <Link to={`/cycles/${encodeURIComponent(row.id)}`}>{name}</Link>
          <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
            {t("cycles.templateOf", {
              label: t("cycles.templateLabel", { title: row.template.title, version: row.template.version }),
            })}
          </Typography.Paragraph>
        </div>
      ),
    },
    { title: t("cycles.columns.owner"), key: "owner", onCell: nowrap, render: (_, row) => unitName(row.owner, lang) },
    { title: t("cycles.columns.level"), dataIndex: "level", onCell: nowrap, render: (level) => t(`levels.${level}`) },
    {
      title: t("cycles.columns.period"),
      key: "period",
      onCell: nowrap,
      render: (_, row) => (
        <>
          {formatDate(row.periodStart, lang)} –<br />
          {formatDate(row.periodEnd, lang)}
        </>
      ),
    },
    { title: t("cycles.columns.selfDue"), dataIndex: "selfDue", width: 110, render: (v: string) => formatDate(v, lang) },
    { title: t("cycles.columns.reviewDue"), dataIndex: "reviewDue", width: 110, render: (v: string) => formatDate(v, lang) },
    {
      title: t("cycles.columns.state"),
      dataIndex: "state",
      onCell: nowrap,
      render: (v: CycleState) => (
        <Tag color={v === "OPEN" ? "processing" : "default"}>{t(`cycles.cycleStates.${v}`)}</Tag>
      ),
    },
    {
      title: t("cycles.columns.progress"),
      key: "progress",
      width: 160,
      render: (_, row) => <StateCounts counts={row.stateCounts} compact />,
    },
    {
      title: t("cycles.columns.ranking"),
      key: "ranking",
      onCell: nowrap,
      render: (_, row) => <RankingStatusTag status={row.rankingStatus} />,
    },
  ];

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t("cycles.title")}</Typography.Title>}
      extra={
        hasRole(user, ["ADMIN"]) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
            {t("cycles.open")}
          </Button>
        )
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("cycles.filterState")} htmlFor="cycles-state">
          <Select
            id="cycles-state"
            style={{ width: 160 }}
            value={state ?? "ALL"}
            onChange={(v: CycleState | "ALL") => {
              setState(v === "ALL" ? null : v);
              paging.reset();
            }}
            options={[
              { value: "ALL", label: t("common.all") },
              { value: "OPEN", label: t("cycles.cycleStates.OPEN") },
              { value: "CLOSED", label: t("cycles.cycleStates.CLOSED") },
            ]}
          />
        </Form.Item>
      </Form>
      {query.error && (
        <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Row>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={query.isLoading}
        scroll={{ x: true }}
        locale={{ emptyText: t("common.empty") }}
        pagination={paging.pagination(query.data?.cycles.totalCount, query.data?.cycles.pageInfo)}
      />
      <OpenCycleModal open={opening} onClose={() => setOpening(false)} />
    </Card>
  );
}
