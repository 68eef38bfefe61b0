// My account: change the password, the second factor, the signed-in browsers and API tokens.
import { Alert, App, Card, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { AccountViewerDocument } from "../../gql/graphql";
import { ApiTokensCard } from "./ApiTokensCard";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { SecondFactorCard } from "./SecondFactorCard";
import { SessionsCard } from "./SessionsCard";

export function AccountPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useGql(AccountViewerDocument, {});
  const viewer = query.data?.viewer;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <div className="page-head">
        <Typography.Title level={3}>{t("account.title")}</Typography.Title>
        {viewer && (
          <Typography.Text type="secondary">
            {t("account.intro", { name: viewer.user.displayName, username: viewer.user.username })}
          </Typography.Text>
        )}
      </div>
      {query.error ? <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} /> : null}
      <Card title={t("account.password.title")}>
        <ChangePasswordForm onChanged={() => message.success(t("account.password.changed"))} />
      </Card>
      {viewer && <SecondFactorCard on={viewer.user.secondFactor} />}
      <SessionsCard sessions={viewer?.sessions ?? []} loading={query.isLoading} />
      <ApiTokensCard tokens={viewer?.apiTokens ?? []} loading={query.isLoading} />
    </Space>
  );
}
