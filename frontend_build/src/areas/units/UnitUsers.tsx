// The users of one unit, a page at a time, each with the roles they hold and where; admins grant
// a role and revoke one (the server's refusal shown above the table).
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { unitName } from "../../format";
import { type UnitsUsersQuery, UnitsRevokeRoleDocument, UnitsUsersDocument } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { GrantRoleModal } from "./GrantRoleModal";

type Row = UnitsUsersQuery["users"]["edges"][number]["node"];

export function UnitUsers({ nodeId, admin }: { nodeId: string; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const paging = useCursorPaging(20);
  const query = useGql(UnitsUsersDocument, { nodeId, first: paging.first, after: paging.after });
  const revoke = useGqlMutation(UnitsRevokeRoleDocument);
  const [refusal, setRefusal] = useState<UserError[]>([]);
  const [granting, setGranting] = useState<Row | null>(null);
  const rows = query.data?.users.edges.map((e) => e.node) ?? [];

  async function revokeGrant(id: string) {
    setRefusal([]);
    try {
      const payload = (await revoke.mutateAsync({ input: { id } })).revokeRole;
      if (payload.errors.length > 0) setRefusal(payload.errors);
      else message.success(t("units.users.revoked"));
    } catch {
      // shown above the table
    }
  }

  const columns: ColumnsType<Row> = [
    { title: t("units.users.username"), dataIndex: "username" },
    { title: t("units.users.displayName"), dataIndex: "displayName" },
    {
      title: t("units.users.active"),
      dataIndex: "isActive",
      render: (v: boolean) => (v ? <Tag color="success">{t("units.users.isActive")}</Tag> : <Tag>{t("units.users.inactive")}</Tag>),
    },
    {
      title: t("units.users.roles"),
      key: "roles",
      render: (_, row) => (
        <Space orientation="vertical" size={4}>
          {row.roles.map((grant) => {
            const role = t(`roles.${grant.role}`);
            const unit = unitName(grant.node, lang);
            return (
              <Space key={grant.id} size={4} wrap>
                <Tag color="blue">
                  {role} · {unit}
                </Tag>
                {admin && (
                  <Popconfirm
                    title={t("units.users.revokeConfirm", { user: row.displayName, role, unit })}
                    okText={t("common.confirm")}
                    cancelText={t("common.cancel")}
                    onConfirm={() => revokeGrant(grant.id)}
                  >
                    <Button
                      size="small"
                      type="link"
                      danger
                      disabled={revoke.isPending}
                      aria-label={t("units.users.revokeLabel", { role, unit })}
                    >
                      {t("units.users.revoke")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            );
          })}
          {row.roles.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
        </Space>
      ),
    },
  ];
  if (admin) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      render: (_, row) => (
        <Button size="small" onClick={() => setGranting(row)}>
          {t("units.users.grant")}
        </Button>
      ),
    });
  }

  return (
    <Card title={t("units.users.title")}>
      <PayloadErrors
        errors={refusal}
        failure={revoke.error ?? query.error}
        fieldsKey="units.fields"
      />
      <Table<Row>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={query.isFetching}
        scroll={{ x: true }}
        locale={{ emptyText: t("units.users.none") }}
        pagination={paging.pagination(query.data?.users.totalCount, query.data?.users.pageInfo)}
      />
      {granting && <GrantRoleModal user={granting} onClose={() => setGranting(null)} />}
    </Card>
  );
}
