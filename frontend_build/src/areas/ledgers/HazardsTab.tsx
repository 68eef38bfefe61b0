// The hidden-hazard ledger: the closed loop (found -> rectifying -> rectified -> verified ->
// closed) with overdue and listed flags, its workflow steps, and the rectification figures.
import { Button, Drawer, Form, Progress, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { formatDate, unitName } from "../../format";
import { type HazardRowFragment, type HazardSeverity, type HazardState, LedgerHazardsDocument } from "../../gql/graphql";
import { HazardActionModal } from "./HazardActionModal";
import { HazardForm } from "./HazardForm";
import { HazardStatistics } from "./HazardStatistics";
import { LedgerHistory } from "./LedgerHistory";
import { type HazardAction, hazardActions } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { nowrap } from "./cells";

const LOOP: HazardState[] = ["OPEN", "RECTIFYING", "RECTIFIED", "VERIFIED", "CLOSED"];
const STATE_COLORS: Record<HazardState, string> = {
  OPEN: "red",
  RECTIFYING: "orange",
  RECTIFIED: "blue",
  VERIFIED: "cyan",
  CLOSED: "green",
};
const wide = (minWidth: number) => () => ({ style: { minWidth } });

export function HazardsTab() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [nodeId, setNodeId] = useState<string | null>(null);
  const [state, setState] = useState<HazardState | null>(null);
  const [severity, setSeverity] = useState<HazardSeverity | null>(null);
  const [flag, setFlag] = useState<"overdue" | "listed" | null>(null);
  const [acting, setActing] = useState<{ hazard: HazardRowFragment; action: HazardAction } | null>(null);
  const [showing, setShowing] = useState<HazardRowFragment | null>(null);
  const [recording, setRecording] = useState(false);
  const can = {
    keep: hasRole(user, ["SUBMITTER", "ASSESSOR", "ADMIN"]),
    supervise: hasRole(user, ["ASSESSOR", "ADMIN"]),
  };
  const filter = {
    nodeId,
    state,
    severity,
    overdue: flag === "overdue" ? true : null,
    listed: flag === "listed" ? true : null,
  };
  const query = useGql(LedgerHazardsDocument, { filter, first: paging.first, after: paging.after });
  const connection = query.data?.hazards;
  const narrow = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    paging.reset();
  };

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("ledgers.hazards.heading")}</Typography.Title>
        {can.keep && (
          <Button type="primary" onClick={() => setRecording(true)}>
            {t("ledgers.hazards.record")}
          </Button>
        )}
      </div>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("common.unit")} htmlFor="hazard-filter-unit">
          <UnitSelect id="hazard-filter-unit" filter={{ subtreeOf: user?.node.id }} value={nodeId} allowClear onChange={narrow((id: string) => setNodeId(id ?? null))} />
        </Form.Item>
        <Form.Item label={t("common.state")} htmlFor="hazard-filter-state">
          <Select id="hazard-filter-state" allowClear style={{ minWidth: 120 }} placeholder={t("common.all")} value={state} onChange={narrow((v: HazardState) => setState(v ?? null))}
            options={LOOP.map((s) => ({ value: s, label: t(`ledgers.hazards.states.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t("ledgers.hazards.severity")} htmlFor="hazard-filter-severity">
          <Select id="hazard-filter-severity" allowClear style={{ minWidth: 120 }} placeholder={t("common.all")} value={severity} onChange={narrow((v: HazardSeverity) => setSeverity(v ?? null))}
            options={(["GENERAL", "MAJOR"] as const).map((s) => ({ value: s, label: t(`ledgers.hazards.severities.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t("ledgers.hazards.flag")} htmlFor="hazard-filter-flag">
          <Select id="hazard-filter-flag" allowClear style={{ minWidth: 140 }} placeholder={t("common.all")} value={flag} onChange={narrow((v: "overdue" | "listed") => setFlag(v ?? null))}
            options={[{ value: "overdue", label: t("ledgers.hazards.overdue") }, { value: "listed", label: t("ledgers.hazards.listed") }]} />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      <Table<HazardRowFragment>
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("common.empty") }}
        columns={[
          { title: t("ledgers.hazards.foundOn"), onCell: nowrap, dataIndex: "foundOn", render: (d: string) => formatDate(d, i18n.language) },
          { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, h) => unitName(h.unit, i18n.language) },
          { title: t("ledgers.hazards.title"), dataIndex: "title", onCell: wide(200) },
          { title: t("ledgers.hazards.place"), dataIndex: "place", onCell: wide(160) },
          {
            title: t("ledgers.hazards.severity"),
            onCell: nowrap,
            dataIndex: "severity",
            render: (s: HazardSeverity) => <Tag color={s === "MAJOR" ? "red" : "default"}>{t(`ledgers.hazards.severities.${s}`)}</Tag>,
          },
          {
            title: t("ledgers.hazards.loop"),
            key: "loop",
            render: (_, h) => (
              <Space size={8} style={{ whiteSpace: "nowrap" }}>
                <Progress
                  steps={LOOP.length}
                  percent={((LOOP.indexOf(h.state) + 1) / LOOP.length) * 100}
                  showInfo={false}
                  size="small"
                  aria-label={t("ledgers.hazards.loopStep", { step: LOOP.indexOf(h.state) + 1, of: LOOP.length })}
                />
                <Tag color={STATE_COLORS[h.state]}>{t(`ledgers.hazards.states.${h.state}`)}</Tag>
              </Space>
            ),
          },
          { title: t("ledgers.hazards.deadline"), onCell: nowrap, dataIndex: "deadline", render: (d: string) => formatDate(d, i18n.language) },
          {
            title: t("ledgers.hazards.flag"),
            key: "flags",
            render: (_, h) => (
              <Space size={4} wrap>
                {h.overdue && <Tag color="red">{t("ledgers.hazards.overdue")}</Tag>}
                {h.listed && <Tag color="volcano">{t("ledgers.hazards.listed")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, h) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setShowing(h)}>{t("common.details")}</Button>
                {hazardActions(h, can).map((action) => (
                  <Button key={action} size="small" onClick={() => setActing({ hazard: h, action })}>
                    {t(`ledgers.hazards.do.${action}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {acting && (
        <HazardActionModal
          hazard={acting.hazard}
          action={acting.action}
          onClose={() => setActing(null)}
          onReload={() => {
            setActing(null);
            void query.refetch();
          }}
        />
      )}
      <HazardForm open={recording} onClose={() => setRecording(false)} />
      <Drawer open={!!showing} onClose={() => setShowing(null)} title={showing?.title} size={520}>
        {showing && (
          <>
            <Typography.Paragraph>{showing.description || "—"}</Typography.Paragraph>
            <LedgerHistory events={showing.history} />
          </>
        )}
      </Drawer>
      <HazardStatistics nodeId={nodeId ?? user?.node.id ?? null} />
    </>
  );
}
