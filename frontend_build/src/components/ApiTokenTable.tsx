// A list of API tokens (one's own, or a user's for their admin): name, prefix, dates, state,
// and a revoke button for those still working.
import { App, Button, Popconfirm, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserError } from "../api/errors";
import { useGqlMutation } from "../api/hooks";
import { revocable, tokenState, type TokenState } from "../areas/account/logic";
import { formatDate } from "../format";
import { type ApiTokenFieldsFragment, RevokeApiTokenDocument } from "../gql/graphql";
import { PayloadErrors } from "./PayloadErrors";

const STATE_COLORS: Record<TokenState, string> = {
  active: "success",
  expiresSoon: "warning",
  expired: "default",
  revoked: "default",
};

type Props = {
  tokens: readonly ApiTokenFieldsFragment[];
  loading?: boolean;
  /** Called after a token was revoked (e.g. to refetch a list the mutation does not refresh). */
  onRevoked?: () => void;
};

export function ApiTokenTable({ tokens, loading, onRevoked }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const revoke = useGqlMutation(RevokeApiTokenDocument);
  const [refusal, setRefusal] = useState<UserError[]>([]);

  async function revokeToken(id: string) {
    setRefusal([]);
    try {
      const payload = (await revoke.mutateAsync({ input: { id } })).revokeApiToken;
      if (payload.errors.length > 0) setRefusal(payload.errors);
      else {
        message.success(t("apiTokens.revoked"));
        onRevoked?.();
      }
    } catch {
      // shown above the table
    }
  }

  return (
    <>
      <PayloadErrors errors={refusal} failure={revoke.error} />
      <Table<ApiTokenFieldsFragment>
        rowKey="id"
        size="small"
        dataSource={[...tokens]}
        loading={loading}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t("apiTokens.none") }}
        columns={[
          {
            title: t("apiTokens.name"),
            dataIndex: "name",
            render: (name: string, token) => (
              <>
                {name}
                {token.madeWithToken && (
                  <Tag style={{ marginLeft: 8 }}>{t("apiTokens.madeWithToken")}</Tag>
                )}
              </>
            ),
          },
          {
            title: t("apiTokens.prefix"),
            dataIndex: "prefix",
            render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
          },
          { title: t("apiTokens.createdAt"), dataIndex: "createdAt", render: (d: string) => formatDate(d, lang) },
          {
            title: t("apiTokens.expiresAt"),
            dataIndex: "expiresAt",
            render: (d: string | null) => (d ? formatDate(d, lang) : t("apiTokens.never")),
          },
          {
            title: t("apiTokens.lastUsedAt"),
            dataIndex: "lastUsedAt",
            render: (d: string | null) => (d ? formatDate(d, lang) : t("apiTokens.neverUsed")),
          },
          {
            title: t("apiTokens.status"),
            key: "state",
            render: (_, token) => {
              const state = tokenState(token);
              return <Tag color={STATE_COLORS[state]}>{t(`apiTokens.states.${state}`)}</Tag>;
            },
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, token) =>
              revocable(token) && (
                <Popconfirm
                  title={t("apiTokens.revokeConfirm", { name: token.name })}
                  okText={t("common.confirm")}
                  cancelText={t("common.cancel")}
                  onConfirm={() => revokeToken(token.id)}
                >
                  <Button size="small" danger disabled={revoke.isPending} aria-label={`${t("apiTokens.revoke")} ${token.name}`}>
                    {t("apiTokens.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}
