// One action plan: its completion figures (by topic and project, by unit) and its task elements,
// completed with evidence by the responsible unit or reopened by an office above.
import { Card, Col, Form, Progress, Row, Select, Space, Statistic, Table, Tag, Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, formatPercent, unitName } from "../../format";
import {
  LedgerTaskElementsDocument,
  LedgerTaskStatisticsDocument,
  type TaskElementRowFragment,
  type TaskState,
} from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { TaskElementModal } from "./TaskElementModal";
import type { Plan } from "./TasksTab";
import { nowrap } from "./cells";

export function TaskPlanDetail({ plan }: { plan: Plan }) {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [state, setState] = useState<TaskState | null>(null);
  const [overdue, setOverdue] = useState<boolean | null>(null);
  const [acting, setActing] = useState<{ element: TaskElementRowFragment; mode: "complete" | "reopen" } | null>(null);
  const nodeId = user?.node.id ?? "";
  const stats = useGql(
    LedgerTaskStatisticsDocument,
    { nodeId, period: { start: plan.periodStart, end: plan.periodEnd }, planId: plan.id },
    { enabled: !!nodeId },
  );
  const elements = useGql(LedgerTaskElementsDocument, {
    filter: { planId: plan.id, state, overdue },
    first: paging.first,
    after: paging.after,
  });
  const figures = stats.data?.taskStatistics;
  const connection = elements.data?.taskElements;
  const pct = (v: string) => formatPercent(Number(v) / 100, i18n.language);
  const canKeep = hasRole(user, ["SUBMITTER", "ASSESSOR", "ADMIN"]);
  const canReopen = hasRole(user, ["ASSESSOR", "ADMIN"]);

  return (
    <Card title={plan.title} style={{ marginTop: 24 }}>
      <PayloadErrors failure={stats.error ?? elements.error} />
      {figures && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}><Statistic title={t("ledgers.tasks.due")} value={figures.due} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.tasks.done")} value={figures.done} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.tasks.overdueCount")} value={figures.overdue} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.tasks.rate")} value={pct(figures.completionRate)} /></Col>
          </Row>
          <Table
            aria-label={t("ledgers.tasks.bySection")}
            rowKey="code"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={figures.bySection}
            style={{ marginBottom: 16 }}
            columns={[
              { title: t("ledgers.tasks.section"), key: "title", render: (_, s) => <span style={{ paddingLeft: s.kind === "PROJECT" ? 16 : 0 }}>{s.code} {s.title}</span> },
              { title: t("ledgers.tasks.kind"), dataIndex: "kind", render: (k: string) => t(`ledgers.tasks.kinds.${k}`) },
              { title: t("ledgers.tasks.due"), dataIndex: "due", align: "right" },
              { title: t("ledgers.tasks.done"), dataIndex: "done", align: "right" },
              { title: t("ledgers.tasks.overdueCount"), dataIndex: "overdue", align: "right" },
              { title: t("ledgers.tasks.rate"), key: "rate", render: (_, s) => <Progress percent={Number(s.completionRate)} size="small" format={() => pct(s.completionRate)} style={{ minWidth: 140 }} /> },
            ]}
          />
        </>
      )}
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("common.state")} htmlFor="task-filter-state">
          <Select id="task-filter-state" allowClear style={{ minWidth: 120 }} placeholder={t("common.all")} value={state}
            onChange={(v: TaskState) => { setState(v ?? null); paging.reset(); }}
            options={(["PENDING", "DONE"] as const).map((s) => ({ value: s, label: t(`ledgers.tasks.states.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t("ledgers.hazards.overdue")} htmlFor="task-filter-overdue">
          <Select id="task-filter-overdue" allowClear style={{ minWidth: 120 }} placeholder={t("common.all")} value={overdue}
            onChange={(v: boolean) => { setOverdue(v ?? null); paging.reset(); }}
            options={[{ value: true, label: t("common.yes") }, { value: false, label: t("common.no") }]} />
        </Form.Item>
      </Form>
      <Table<TaskElementRowFragment>
        aria-label={t("ledgers.tasks.elements")}
        rowKey="id"
        size="small"
        loading={elements.isLoading}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("common.empty") }}
        columns={[
          { title: t("common.code"), onCell: nowrap, dataIndex: "code" },
          { title: t("ledgers.tasks.element"), dataIndex: "title" },
          { title: t("ledgers.tasks.section"), key: "path", render: (_, e) => e.sectionPath.join(" / ") },
          { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, e) => unitName(e.unit, i18n.language) },
          { title: t("ledgers.hazards.deadline"), onCell: nowrap, dataIndex: "deadline", render: (d: string) => formatDate(d, i18n.language) },
          {
            title: t("common.state"),
            key: "state",
            render: (_, e) => (
              <Space size={4} wrap>
                <Tag color={e.state === "DONE" ? "green" : "blue"}>{t(`ledgers.tasks.states.${e.state}`)}</Tag>
                {e.overdue && <Tag color="red">{t("ledgers.hazards.overdue")}</Tag>}
              </Space>
            ),
          },
          { title: t("ledgers.tasks.completedAt"), dataIndex: "completedAt", render: (d: string | null) => formatDate(d, i18n.language) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, e) => (
              <Space size={4}>
                {e.state === "PENDING" && canKeep && (
                  <Button size="small" onClick={() => setActing({ element: e, mode: "complete" })}>{t("ledgers.tasks.complete")}</Button>
                )}
                {e.state === "DONE" && canReopen && (
                  <Button size="small" onClick={() => setActing({ element: e, mode: "reopen" })}>{t("ledgers.tasks.reopen")}</Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {figures && figures.byUnit.length > 0 && (
        <Table
          aria-label={t("ledgers.tasks.byUnit")}
          style={{ marginTop: 16 }}
          rowKey={(r) => r.unit.id}
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={figures.byUnit}
          columns={[
            { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
            { title: t("ledgers.tasks.due"), dataIndex: "due", align: "right" },
            { title: t("ledgers.tasks.done"), dataIndex: "done", align: "right" },
            { title: t("ledgers.tasks.overdueCount"), dataIndex: "overdue", align: "right" },
            { title: t("ledgers.tasks.rate"), key: "rate", align: "right", render: (_, r) => pct(r.completionRate) },
          ]}
        />
      )}
      {acting && (
        <TaskElementModal
          element={acting.element}
          mode={acting.mode}
          onClose={() => setActing(null)}
          onReload={() => { setActing(null); void elements.refetch(); }}
        />
      )}
    </Card>
  );
}
