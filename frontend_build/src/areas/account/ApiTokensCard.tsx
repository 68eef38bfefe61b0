// The viewer's API tokens: the list with revoke, and a new one whose secret is shown once.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { ApiTokenTable } from "../../components/ApiTokenTable";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PayloadErrors } from "../../components/PayloadErrors";
import { type ApiTokenFieldsFragment, AccountCreateApiTokenDocument } from "../../gql/graphql";
import { TOKEN_DAYS } from "./logic";

type Values = { name: string; expiresInDays: number | "max" };

function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [rest, setRest] = useState<UserError[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useGqlMutation(AccountCreateApiTokenDocument);

  async function submit(values: Values) {
    setRest([]);
    let payload;
    try {
      payload = (
        await create.mutateAsync({
          input: {
            name: values.name.trim(),
            expiresInDays: values.expiresInDays === "max" ? null : values.expiresInDays,
          },
        })
      ).createApiToken;
    } catch {
      return;
    }
    if (payload.errors.length > 0 || !payload.secret) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    setSecret(payload.secret);
  }

  return (
    <Modal
      open
      title={t("account.tokens.createTitle")}
      okText={secret ? t("account.tokens.done") : t("common.save")}
      cancelText={t("common.cancel")}
      cancelButtonProps={secret ? { style: { display: "none" } } : undefined}
      onOk={() => (secret ? onClose() : form.submit())}
      onCancel={onClose}
      maskClosable={!secret}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {secret ? (
        <OneTimeSecret label={t("account.tokens.secret")} secret={secret} warning={t("account.tokens.secretWarning")} />
      ) : (
        <>
          <PayloadErrors errors={rest} failure={create.error} fieldsKey="account.fields" />
          <Form<Values> form={form} name="create-token" layout="vertical" onFinish={submit} initialValues={{ expiresInDays: 90 }}>
            <Form.Item
              name="name"
              label={t("account.tokens.name")}
              extra={t("account.tokens.nameHint")}
              rules={[{ required: true, whitespace: true, message: t("account.tokens.required", { field: t("account.tokens.name") }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="expiresInDays" label={t("account.tokens.days")}>
              <Select
                options={[
                  ...TOKEN_DAYS.map((days) => ({ value: days as number, label: t("account.tokens.daysOption", { count: days as number }) })),
                  { value: "max", label: t("account.tokens.maxDays") },
                ]}
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

export function ApiTokensCard({ tokens, loading }: { tokens: readonly ApiTokenFieldsFragment[]; loading: boolean }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title={t("account.tokens.title")}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t("account.tokens.create")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("account.tokens.intro")}</Typography.Paragraph>
      <ApiTokenTable tokens={tokens} loading={loading} />
      {creating && <CreateTokenModal onClose={() => setCreating(false)} />}
    </Card>
  );
}
