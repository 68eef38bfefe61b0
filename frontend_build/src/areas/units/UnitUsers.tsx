// The users of one unit, a page at a time, each with the roles they hold and where, and tags for
// disabled, second factor, password to change; admins add a user, grant a role and revoke one,
// disable or enable a user, reset a password and see a user's API tokens (the server's refusal
// shown above the table).
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { unitName } from "../../format";
import { useViewer } from "../../auth/ViewerContext";
import {
  type UnitsUsersQuery,
  UnitsDisableUserDocument,
  UnitsEnableUserDocument,
  UnitsRevokeRoleDocument,
  UnitsUsersDocument,
} from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { CreateUserModal } from "./CreateUserModal";
import { GrantRoleModal } from "./GrantRoleModal";
import { userActions, userTags } from "./logic";
import { ResetPasswordModal } from "./ResetPasswordModal";
import { UserTokensModal } from "./UserTokensModal";

type Row = UnitsUsersQuery["users"]["edges"][number]["node"];

export function UnitUsers({ nodeId, unit, admin }: { nodeId: string; unit: string; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const paging = useCursorPaging(20);
  const query = useGql(UnitsUsersDocument, { nodeId, first: paging.first, after: paging.after });
  const revoke = useGqlMutation(UnitsRevokeRoleDocument);
  const [refusal, setRefusal] = useState<UserError[]>([]);
  const [granting, setGranting] = useState<Row | null>(null);
  const [resetting, setResetting] = useState<Row | null>(null);
  const [tokensOf, setTokensOf] = useState<Row | null>(null);
  const [creating, setCreating] = useState(false);
  const { user: viewer } = useViewer();
  const disable = useGqlMutation(UnitsDisableUserDocument);
  const enable = useGqlMutation(UnitsEnableUserDocument);
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

  async function setActive(row: Row, active: boolean) {
    setRefusal([]);
    try {
      const payload = active
        ? (await enable.mutateAsync({ input: { id: row.id } })).enableUser
        : (await disable.mutateAsync({ input: { id: row.id } })).disableUser;
      if (payload.errors.length > 0) setRefusal(payload.errors);
      else message.success(t(active ? "units.users.enabled" : "units.users.disabled", { user: row.displayName }));
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
      render: (_, row) => (
        <Space size={4} wrap>
          {row.isActive && <Tag color="success">{t("units.users.isActive")}</Tag>}
          {userTags(row).map((tag) => (
            <Tag key={tag.key} color={tag.color}>
              {t(`units.users.tags.${tag.key}`)}
            </Tag>
          ))}
        </Space>
      ),
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
      render: (_, row) => {
        const actions = userActions(row, { admin, viewerId: viewer?.id ?? null });
        return (
          <Space size={4} wrap>
            {actions.includes("grant") && (
              <Button size="small" onClick={() => setGranting(row)}>
                {t("units.users.grant")}
              </Button>
            )}
            {actions.includes("resetPassword") && (
              <Button size="small" onClick={() => setResetting(row)}>
                {t("units.users.resetPassword")}
              </Button>
            )}
            {actions.includes("tokens") && (
              <Button size="small" onClick={() => setTokensOf(row)}>
                {t("units.users.tokens")}
              </Button>
            )}
            {actions.includes("disable") && (
              <Popconfirm
                title={t("units.users.disableConfirm", { user: row.displayName })}
                okText={t("common.confirm")}
                cancelText={t("common.cancel")}
                onConfirm={() => setActive(row, false)}
              >
                <Button size="small" danger disabled={disable.isPending}>
                  {t("units.users.disable")}
                </Button>
              </Popconfirm>
            )}
            {actions.includes("enable") && (
              <Button size="small" onClick={() => setActive(row, true)} disabled={enable.isPending}>
                {t("units.users.enable")}
              </Button>
            )}
          </Space>
        );
      },
    });
  }

  return (
    <Card
      title={t("units.users.title")}
      extra={
        admin && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("units.users.new")}
          </Button>
        )
      }
    >
      <PayloadErrors
        errors={refusal}
        failure={revoke.error ?? disable.error ?? enable.error ?? query.error}
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
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
      {tokensOf && <UserTokensModal user={tokensOf} onClose={() => setTokensOf(null)} />}
      {creating && <CreateUserModal nodeId={nodeId} unit={unit} onClose={() => setCreating(false)} />}
    </Card>
  );
}
