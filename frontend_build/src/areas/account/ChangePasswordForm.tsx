// The current password, the new one twice: the repeat checked here, the strength by the server
// (its reasons beside the new password). The account page and the forced change both use it.
import { Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { setCsrfToken } from "../../api/client";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { PayloadErrors } from "../../components/PayloadErrors";
import { ChangePasswordDocument } from "../../gql/graphql";
import { newPasswordProblems } from "./logic";

type Values = { currentPassword: string; newPassword: string; repeat: string };

export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [rest, setRest] = useState<UserError[]>([]);
  const change = useGqlMutation(ChangePasswordDocument);
  const required = (field: string) => ({ required: true, message: t("account.password.required", { field }) });

  async function submit(values: Values) {
    setRest([]);
    let payload;
    try {
      payload = (
        await change.mutateAsync({
          input: { currentPassword: values.currentPassword, newPassword: values.newPassword },
        })
      ).changePassword;
    } catch {
      return; // shown above the form
    }
    if (payload.errors.length > 0 || !payload.viewer) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    if (payload.viewer.csrfToken) setCsrfToken(payload.viewer.csrfToken);
    form.resetFields();
    onChanged();
  }

  const problem = (field: "newPassword" | "repeat") => ({
    validator: async () => {
      const found = newPasswordProblems(form.getFieldsValue()).find((p) => p.field === field);
      if (found) throw new Error(t(`account.password.${found.key}`));
    },
  });

  return (
    <Form<Values> form={form} name="change-password" layout="vertical" onFinish={submit} disabled={change.isPending} style={{ maxWidth: 420 }}>
      <PayloadErrors errors={rest} failure={change.error} fieldsKey="account.fields" />
      <Form.Item name="currentPassword" label={t("account.password.current")} rules={[required(t("account.password.current"))]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t("account.password.new")}
        extra={t("account.password.newHint")}
        dependencies={["currentPassword"]}
        rules={[required(t("account.password.new")), problem("newPassword")]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t("account.password.repeat")}
        dependencies={["newPassword"]}
        rules={[required(t("account.password.repeat")), problem("repeat")]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        {t("account.password.submit")}
      </Button>
    </Form>
  );
}
