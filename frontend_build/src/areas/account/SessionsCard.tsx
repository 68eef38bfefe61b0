// The browsers signed in as the viewer, this one marked; end another one, or all of them (and
// then back to sign-in).
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Popconfirm, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { setCsrfToken } from "../../api/client";
import type { UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate } from "../../format";
import { type AccountViewerQuery, AccountEndSessionDocument, AccountSignOutEverywhereDocument } from "../../gql/graphql";
import { describeBrowser } from "./logic";

type Session = NonNullable<AccountViewerQuery["viewer"]>["sessions"][number];

export function SessionsCard({ sessions, loading }: { sessions: readonly Session[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const end = useGqlMutation(AccountEndSessionDocument);
  const everywhere = useGqlMutation(AccountSignOutEverywhereDocument, { invalidate: false });
  const [refusal, setRefusal] = useState<UserError[]>([]);

  async function endOne(id: string) {
    setRefusal([]);
    try {
      const payload = (await end.mutateAsync({ input: { id } })).endSession;
      if (payload.errors.length > 0) setRefusal(payload.errors);
      else message.success(t("account.sessions.ended"));
    } catch {
      // shown above the table
    }
  }

  async function endAll() {
    setRefusal([]);
    try {
      const payload = (await everywhere.mutateAsync({})).signOutEverywhere;
      if (payload.errors.length > 0) {
        setRefusal(payload.errors);
        return;
      }
    } catch {
      return;
    }
    setCsrfToken(null);
    client.clear();
    navigate("/sign-in", { replace: true });
  }

  return (
    <Card
      title={t("account.sessions.title")}
      extra={
        <Popconfirm
          title={t("account.sessions.everywhereConfirm")}
          okText={t("common.confirm")}
          cancelText={t("common.cancel")}
          onConfirm={endAll}
        >
          <Button danger loading={everywhere.isPending}>
            {t("account.sessions.everywhere")}
          </Button>
        </Popconfirm>
      }
    >
      <PayloadErrors errors={refusal} failure={end.error ?? everywhere.error} fieldsKey="account.fields" />
      <Table<Session>
        rowKey="id"
        size="small"
        dataSource={[...sessions]}
        loading={loading}
        pagination={false}
        scroll={{ x: true }}
        aria-label={t("account.sessions.title")}
        columns={[
          {
            title: t("account.sessions.browser"),
            key: "browser",
            render: (_, s) => (
              <span title={s.userAgent}>
                {describeBrowser(s.userAgent)}
                {s.current && (
                  <Tag color="blue" style={{ marginLeft: 8 }}>
                    {t("account.sessions.current")}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t("account.sessions.address"), dataIndex: "address" },
          { title: t("account.sessions.createdAt"), dataIndex: "createdAt", render: (d: string) => formatDate(d, lang) },
          { title: t("account.sessions.lastSeenAt"), dataIndex: "lastSeenAt", render: (d: string) => formatDate(d, lang) },
          { title: t("account.sessions.expiresAt"), dataIndex: "expiresAt", render: (d: string) => formatDate(d, lang) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, s) =>
              !s.current && (
                <Popconfirm
                  title={t("account.sessions.endConfirm")}
                  okText={t("common.confirm")}
                  cancelText={t("common.cancel")}
                  onConfirm={() => endOne(s.id)}
                >
                  <Button size="small" disabled={end.isPending}>
                    {t("account.sessions.end")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}
