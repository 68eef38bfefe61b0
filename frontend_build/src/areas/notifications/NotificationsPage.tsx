// The notifications of one's units: unread count, a filter, and marking them read.
import { Button, Form, Segmented, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { formatDate, unitName } from "../../format";
import { MarkNotificationsReadDocument, type MyNotificationsQuery, MyNotificationsDocument } from "../../gql/graphql";
import { Alert } from "antd";
import { unreadIds } from "./logic";

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });

type Row = MyNotificationsQuery["notifications"]["edges"][number]["node"];
type Show = "all" | "unread" | "read";

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const paging = useCursorPaging(20);
  const [show, setShow] = useState<Show>("unread");
  const [selected, setSelected] = useState<string[]>([]);
  const [problems, setProblems] = useState<readonly UserError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const unread = show === "all" ? null : show === "unread";
  const query = useGql(MyNotificationsDocument, { unread, first: paging.first, after: paging.after });
  const mark = useGqlMutation(MarkNotificationsReadDocument);
  const connection = query.data?.notifications;
  const rows = connection?.edges.map((e) => e.node) ?? [];

  async function markRead(ids: string[]) {
    if (ids.length === 0) return;
    setProblems([]);
    setFailure(null);
    try {
      const data = await mark.mutateAsync({ ids });
      setProblems(data.markNotificationsRead.errors);
      if (data.markNotificationsRead.errors.length === 0) setSelected([]);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <>
      <div className="page-head">
        <Space align="center">
          <Typography.Title level={3}>{t("notifications.title")}</Typography.Title>
          {connection && (
            <Tag color={connection.unreadCount > 0 ? "red" : "default"} role="status">
              {t("notifications.unreadCount", { count: connection.unreadCount })}
            </Tag>
          )}
        </Space>
        <Space wrap>
          <Button disabled={selected.length === 0 || mark.isPending} loading={mark.isPending} onClick={() => markRead(selected)}>
            {t("notifications.markSelected", { count: selected.length })}
          </Button>
          <Button type="primary" disabled={unreadIds(rows).length === 0 || mark.isPending} onClick={() => markRead(unreadIds(rows))}>
            {t("notifications.markPage")}
          </Button>
        </Space>
      </div>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("notifications.show")}>
          <Segmented<Show>
            value={show}
            onChange={(v) => { setShow(v); setSelected([]); paging.reset(); }}
            options={[
              { value: "unread", label: t("notifications.unread") },
              { value: "read", label: t("notifications.read") },
              { value: "all", label: t("common.all") },
            ]}
          />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon role="alert" title={describeFailure(failure, t)} style={{ marginBottom: 16 }} /> : null}
      {problems.length > 0 && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }}
          title={problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join("；")} />
      )}
      {query.error ? <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} style={{ marginBottom: 16 }} /> : null}
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={rows}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("notifications.empty") }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (r) => ({ disabled: r.read, "aria-label": r.title }),
        }}
        columns={[
          {
            title: t("notifications.kind"),
            dataIndex: "kind",
            render: (k: string) => <Tag color={k.endsWith("OVERDUE") ? "red" : "blue"}>{t(`notifications.kinds.${k}`)}</Tag>,
          },
          {
            title: t("notifications.subject"),
            key: "title",
            render: (_, n) => (
              <div>
                <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
                <div><Typography.Text type="secondary">{n.body}</Typography.Text></div>
              </div>
            ),
          },
          { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, n) => unitName(n.unit, i18n.language) },
          { title: t("notifications.due"), onCell: nowrap, dataIndex: "due", render: (d: string | null) => formatDate(d, i18n.language) },
          { title: t("notifications.createdAt"), onCell: nowrap, dataIndex: "createdAt", render: (d: string) => formatDate(d, i18n.language) },
          {
            title: t("common.state"),
            key: "read",
            render: (_, n) =>
              n.read ? (
                <span>{t("notifications.readBy", { who: n.readBy?.username ?? "—", at: formatDate(n.readAt, i18n.language) })}</span>
              ) : (
                <Button size="small" disabled={mark.isPending} onClick={() => markRead([n.id])}>{t("notifications.markOne")}</Button>
              ),
          },
        ]}
      />
    </>
  );
}
