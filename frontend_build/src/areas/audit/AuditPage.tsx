// The audit log of the units the admin administers, newest first: when (the reader's time),
// who, what, to what, on which unit, from where; a row opens to its details and hash. Filters:
// unit (and below), action, days.
import { AutoComplete, DatePicker, Descriptions, Form, Table, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { useViewer } from "../../auth/ViewerContext";
import { PayloadErrors } from "../../components/PayloadErrors";
import { UnitSelect } from "../../components/UnitSelect";
import { unitName } from "../../format";
import { type AuditEntriesQuery, AuditEntriesDocument } from "../../gql/graphql";
import { auditFilter, formatMoment, prettyDetails, suggestActions } from "./logic";

type Entry = AuditEntriesQuery["auditEntries"]["edges"][number]["node"];

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });

function EntryDetails({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={1} bordered aria-label={t("audit.details")}>
      <Descriptions.Item label={t("audit.details")}>
        <pre className="audit-details">{prettyDetails(entry.details)}</pre>
      </Descriptions.Item>
      <Descriptions.Item label={t("audit.seq")}>{entry.seq}</Descriptions.Item>
      <Descriptions.Item label={t("audit.requestId")}>
        <Typography.Text code>{entry.requestId || "—"}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("audit.hash")}>
        <Typography.Text code copyable style={{ wordBreak: "break-all" }}>
          {entry.hash}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("audit.prevHash")}>
        <Typography.Text code style={{ wordBreak: "break-all" }}>
          {entry.prevHash}
        </Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useViewer();
  const paging = useCursorPaging(50);
  const [nodeId, setNodeId] = useState<string | null>(null);
  const [action, setAction] = useState("");
  const [typed, setTyped] = useState("");
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const filter = auditFilter({
    nodeId,
    action,
    from: range?.[0]?.format("YYYY-MM-DD") ?? null,
    to: range?.[1]?.format("YYYY-MM-DD") ?? null,
  });
  const query = useGql(AuditEntriesDocument, { filter, first: paging.first, after: paging.after });
  const connection = query.data?.auditEntries;
  // The units offered: those below the viewer's first ADMIN grant (the server limits the log to
  // what they administer anyway).
  const adminRoot = user?.roles.find((grant) => grant.role === "ADMIN")?.node.id;

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("audit.title")}</Typography.Title>
        <Typography.Text type="secondary">{t("audit.intro")}</Typography.Text>
      </div>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("audit.unit")} htmlFor="audit-unit">
          <UnitSelect
            id="audit-unit"
            filter={adminRoot ? { subtreeOf: adminRoot } : {}}
            value={nodeId}
            allowClear
            placeholder={t("common.all")}
            onChange={(id) => {
              setNodeId(id ?? null);
              paging.reset();
            }}
          />
        </Form.Item>
        <Form.Item label={t("audit.action")} htmlFor="audit-action">
          <AutoComplete
            id="audit-action"
            style={{ width: 200 }}
            allowClear
            value={typed}
            placeholder={t("audit.actionPlaceholder")}
            options={suggestActions(typed).map((a) => ({ value: a }))}
            onChange={(v: string) => {
              setTyped(v ?? "");
              if (!v) {
                setAction("");
                paging.reset();
              }
            }}
            onSelect={(v: string) => {
              setTyped(v);
              setAction(v);
              paging.reset();
            }}
            onBlur={() => {
              setAction(typed);
              paging.reset();
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                setAction(typed);
                paging.reset();
              }
            }}
          />
        </Form.Item>
        <Form.Item label={t("audit.period")} htmlFor="audit-period">
          <DatePicker.RangePicker
            id={{ start: "audit-period" }}
            value={range}
            allowEmpty={[true, true]}
            onChange={(v) => {
              setRange(v);
              paging.reset();
            }}
          />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      <Table<Entry>
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("audit.empty") }}
        expandable={{ expandedRowRender: (entry) => <EntryDetails entry={entry} /> }}
        columns={[
          { title: t("audit.at"), dataIndex: "at", onCell: nowrap, render: (at: string) => formatMoment(at, lang) },
          {
            title: t("audit.actor"),
            key: "actor",
            onCell: nowrap,
            render: (_, e) =>
              e.actor && e.actor.displayName !== e.actorName ? (
                <span title={e.actor.displayName}>
                  {e.actorName} <Typography.Text type="secondary">（{e.actor.displayName}）</Typography.Text>
                </span>
              ) : (
                e.actorName
              ),
          },
          { title: t("audit.action"), dataIndex: "action", render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          { title: t("audit.subject"), dataIndex: "subject", render: (s: string) => s || "—" },
          {
            title: t("audit.unit"),
            key: "unit",
            onCell: nowrap,
            render: (_, e) => (e.node ? `${unitName(e.node, lang)} (${e.node.code})` : "—"),
          },
          { title: t("audit.address"), dataIndex: "address", onCell: nowrap },
        ]}
      />
    </>
  );
}
