// The task-list ledger: the action plans one can see (download as Excel, import one), and the
// chosen plan's figures and task elements.
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, unitName } from "../../format";
import { LedgerActionPlansDocument, type LedgerActionPlansQuery } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { PlanImportModal } from "./PlanImportModal";
import { TaskPlanDetail } from "./TaskPlanDetail";

export type Plan = LedgerActionPlansQuery["actionPlans"]["edges"][number]["node"];

export function TasksTab() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(10);
  const [chosen, setChosen] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const query = useGql(LedgerActionPlansDocument, { first: paging.first, after: paging.after });
  const connection = query.data?.actionPlans;
  const plans = connection?.edges.map((e) => e.node) ?? [];
  const plan = plans.find((p) => p.id === chosen) ?? plans[0] ?? null;

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("ledgers.tasks.heading")}</Typography.Title>
        {hasRole(user, ["ASSESSOR", "ADMIN"]) && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            {t("ledgers.tasks.import")}
          </Button>
        )}
      </div>
      <PayloadErrors failure={query.error} />
      <Table<Plan>
        aria-label={t("ledgers.tasks.plans")}
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={plans}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("common.empty") }}
        rowSelection={{
          type: "radio",
          selectedRowKeys: plan ? [plan.id] : [],
          onChange: (keys) => setChosen(String(keys[0])),
        }}
        columns={[
          { title: t("ledgers.tasks.plan"), dataIndex: "title" },
          { title: t("ledgers.tasks.owner"), key: "owner", render: (_, p) => unitName(p.owner, i18n.language) },
          {
            title: t("ledgers.tasks.period"),
            key: "period",
            render: (_, p) => `${formatDate(p.periodStart, i18n.language)} – ${formatDate(p.periodEnd, i18n.language)}`,
          },
          {
            title: t("ledgers.tasks.sections"),
            key: "sections",
            render: (_, p) =>
              p.sections.map((s) => (
                <div key={s.code}>
                  {s.code} {s.title} ({s.elementCount})
                </div>
              )),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => setChosen(p.id)}>
                  {t("common.details")}
                </Button>
                <Button size="small" icon={<DownloadOutlined />} href={p.downloadUrl} download>
                  {t("ledgers.tasks.export")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {plan && <TaskPlanDetail key={plan.id} plan={plan} />}
      <PlanImportModal open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
