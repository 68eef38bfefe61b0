// The self-assessments the user can see, filtered by cycle and state, a page at a time.
import { Alert, Card, Form, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { formatDate, formatPoints, unitName } from "../../format";
import {
  type AssessmentListQuery,
  type AssessmentState,
  AssessmentListDocument,
  CycleOptionsDocument,
} from "../../gql/graphql";
import { AssessmentStateTag } from "../../components/AssessmentStateTag";

type Row = AssessmentListQuery["assessments"]["edges"][number]["node"];

const STATES: AssessmentState[] = ["DRAFT", "SUBMITTED", "RETURNED", "RESUBMITTED", "REVIEWED", "FINAL"];

export function AssessmentListPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const navigate = useNavigate();
  const [cycleId, setCycleId] = useState<string | null>(null);
  const [state, setState] = useState<AssessmentState | null>(null);
  const paging = useCursorPaging(20);
  const cycles = useGql(CycleOptionsDocument, { first: 100 });
  const query = useGql(AssessmentListDocument, {
    filter: { cycleId, state },
    first: paging.first,
    after: paging.after,
  });
  const connection = query.data?.assessments;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  const columns = [
    {
      title: t("common.unit"),
      key: "unit",
      render: (_: unknown, row: Row) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/assessments/${encodeURIComponent(row.id)}`}>{unitName(row.unit, language)}</Link>
          <Typography.Text type="secondary">{row.unit.code}</Typography.Text>
        </Space>
      ),
    },
    { title: t("common.cycle"), key: "cycle", render: (_: unknown, row: Row) => row.cycle.name },
    {
      title: t("common.state"),
      key: "state",
      render: (_: unknown, row: Row) => <AssessmentStateTag state={row.state} />,
    },
    {
      title: t("assessments.selfTotal"),
      key: "selfTotal",
      align: "right" as const,
      render: (_: unknown, row: Row) => formatPoints(row.selfTotal, language),
    },
    {
      title: t("assessments.reviewedTotal"),
      key: "reviewedTotal",
      align: "right" as const,
      render: (_: unknown, row: Row) =>
        row.state === "REVIEWED" || row.state === "FINAL" ? formatPoints(row.reviewedTotal, language) : "—",
    },
    {
      title: t("assessments.due"),
      key: "due",
      render: (_: unknown, row: Row) => (
        <Space size={4}>
          {formatDate(row.cycle.selfDue, language)}
          {row.late && <Tag color="red">{t("assessments.late")}</Tag>}
        </Space>
      ),
    },
    {
      title: t("assessments.submittedAt"),
      key: "submittedAt",
      render: (_: unknown, row: Row) => formatDate(row.submittedAt, language),
    },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t("assessments.listTitle")}</Typography.Title>}>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("assessments.cycleFilter")} htmlFor="assessment-cycle">
          <Select
            id="assessment-cycle"
            allowClear
            style={{ minWidth: 300 }}
            loading={cycles.isLoading}
            placeholder={t("common.all")}
            value={cycleId ?? undefined}
            options={[...(cycles.data?.cycles.edges ?? [])]
              .reverse()
              .map(({ node }) => ({ value: node.id, label: node.name }))}
            onChange={(value?: string) => {
              setCycleId(value ?? null);
              paging.reset();
            }}
          />
        </Form.Item>
        <Form.Item label={t("assessments.stateFilter")} htmlFor="assessment-state">
          <Select
            id="assessment-state"
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t("common.all")}
            value={state ?? undefined}
            options={STATES.map((s) => ({ value: s, label: t(`assessments.states.${s}`) }))}
            onChange={(value?: AssessmentState) => {
              setState(value ?? null);
              paging.reset();
            }}
          />
        </Form.Item>
      </Form>
      {query.isError && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeFailure(query.error, t)} />
      )}
      <Table<Row>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={query.isFetching}
        scroll={{ x: true }}
        locale={{ emptyText: t("assessments.emptyList") }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        onRow={(row) => ({
          onClick: () => navigate(`/assessments/${encodeURIComponent(row.id)}`),
          style: { cursor: "pointer" },
        })}
      />
    </Card>
  );
}
