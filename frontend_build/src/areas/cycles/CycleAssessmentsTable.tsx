// A cycle's assessments a page at a time, filtered by state or to the late ones; units that
// submitted late or have not submitted although due are marked and highlighted.
import { Alert, Card, Checkbox, Form, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { formatDate, formatPoints, unitName } from "../../format";
import { type AssessmentState, type CycleAssessmentsQuery, CycleAssessmentsDocument } from "../../gql/graphql";
import { ASSESSMENT_STATES, lateness, STATE_COLORS } from "./logic";

type Connection = Extract<NonNullable<CycleAssessmentsQuery["node"]>, { __typename: "Cycle" }>["assessments"];
type Row = Connection["edges"][number]["node"];

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });
const HIGHLIGHT = { overdue: "#fff1f0", late: "#fff7e6" } as const;

export function CycleAssessmentsTable({ cycleId, selfDue }: { cycleId: string; selfDue: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [state, setState] = useState<AssessmentState | null>(null);
  const [onlyLate, setOnlyLate] = useState(false);
  const paging = useCursorPaging(20);
  const query = useGql(CycleAssessmentsDocument, {
    id: cycleId,
    filter: { state, late: onlyLate ? true : null },
    first: paging.first,
    after: paging.after,
  });
  const connection = query.data?.node?.__typename === "Cycle" ? query.data.node.assessments : null;
  const rows = connection?.edges.map((e) => e.node) ?? [];

  const columns: ColumnsType<Row> = [
    {
      title: t("cycles.detail.unit"),
      key: "unit",
      onCell: nowrap,
      render: (_, row) => (
        <span>
          {unitName(row.unit, lang)} <Typography.Text type="secondary">{row.unit.code}</Typography.Text>
        </span>
      ),
    },
    {
      title: t("cycles.columns.state"),
      dataIndex: "state",
      render: (s: AssessmentState) => <Tag color={STATE_COLORS[s]}>{t(`assessments.states.${s}`)}</Tag>,
    },
    {
      title: t("cycles.detail.lateness"),
      key: "lateness",
      render: (_, row) => {
        const kind = lateness(row, selfDue);
        return (
          <Space size={4} wrap>
            {kind === "overdue" && <Tag color="red">{t("cycles.detail.overdue")}</Tag>}
            {kind === "late" && <Tag color="orange">{t("cycles.detail.lateSubmitted")}</Tag>}
            {row.reviewLate && <Tag color="volcano">{t("cycles.detail.reviewLate")}</Tag>}
            {!kind && !row.reviewLate && "—"}
          </Space>
        );
      },
    },
    { title: t("cycles.detail.submittedAt"), dataIndex: "submittedAt", onCell: nowrap, render: (v: string | null) => formatDate(v, lang) },
    { title: t("cycles.detail.reviewedAt"), dataIndex: "reviewedAt", onCell: nowrap, render: (v: string | null) => formatDate(v, lang) },
    { title: t("cycles.detail.selfTotal"), dataIndex: "selfTotal", align: "right", render: (v) => formatPoints(v, lang) },
    {
      title: t("cycles.detail.reviewedTotal"),
      dataIndex: "reviewedTotal",
      align: "right",
      render: (v) => formatPoints(v, lang),
    },
    {
      title: t("cycles.detail.grade"),
      dataIndex: "grade",
      render: (g: string | null, row: { gradeName?: string | null }) => (g ? row.gradeName || t(`cycles.grades.${g}`) : "—"),
    },
    {
      title: t("cycles.detail.vetoed"),
      dataIndex: "vetoed",
      render: (v: boolean, row: { yellowCards: number }) =>
        v || row.yellowCards > 0 ? (
          <Space size={4} wrap>
            {v && <Tag color="red">{t("cycles.detail.vetoed")}</Tag>}
            {row.yellowCards > 0 && <Tag color="gold">{t("cycles.detail.yellowCard")}</Tag>}
          </Space>
        ) : (
          "—"
        ),
    },
  ];

  return (
    <Card title={t("cycles.detail.assessments")}>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("cycles.detail.filterState")} htmlFor="cycle-assessment-state">
          <Select
            id="cycle-assessment-state"
            style={{ width: 160 }}
            value={state ?? "ALL"}
            onChange={(v: AssessmentState | "ALL") => {
              setState(v === "ALL" ? null : v);
              paging.reset();
            }}
            options={[
              { value: "ALL", label: t("common.all") },
              ...ASSESSMENT_STATES.map((s) => ({ value: s, label: t(`assessments.states.${s}`) })),
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Checkbox
            checked={onlyLate}
            onChange={(e) => {
              setOnlyLate(e.target.checked);
              paging.reset();
            }}
          >
            {t("cycles.detail.onlyLate")}
          </Checkbox>
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
        loading={query.isFetching}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("cycles.detail.empty") }}
        onRow={(row) => {
          const kind = lateness(row, selfDue);
          return kind ? { style: { background: HIGHLIGHT[kind] }, "data-late": kind } as React.HTMLAttributes<HTMLElement> : {};
        }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
      />
    </Card>
  );
}
