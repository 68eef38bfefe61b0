// A new user of this unit, with roles on it: the server's errors beside their fields; once made,
// the temporary password shown this one time, to hand over (it must be changed at first sign-in).
import { Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PayloadErrors } from "../../components/PayloadErrors";
import { type Role, UnitsCreateUserDocument } from "../../gql/graphql";
import { createUserInput } from "./logic";

const ROLES: Role[] = ["ADMIN", "TEMPLATE_AUTHOR", "ASSESSOR", "SUBMITTER", "VIEWER"];

type Values = { username: string; displayName: string; roles: Role[] };

export function CreateUserModal({ nodeId, unit, onClose }: { nodeId: string; unit: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [rest, setRest] = useState<UserError[]>([]);
  const [made, setMade] = useState<{ username: string; password: string } | null>(null);
  const create = useGqlMutation(UnitsCreateUserDocument);
  const required = (field: string) => ({ required: true, whitespace: true, message: t("units.form.required", { field }) });

  async function submit(values: Values) {
    setRest([]);
    let payload;
    try {
      payload = (await create.mutateAsync({ input: createUserInput(nodeId, values) })).createUser;
    } catch {
      return; // shown above the form
    }
    if (payload.errors.length > 0 || !payload.user || !payload.temporaryPassword) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    setMade({ username: payload.user.username, password: payload.temporaryPassword });
  }

  return (
    <Modal
      open
      title={t("units.newUser.title", { unit })}
      okText={made ? t("units.newUser.done") : t("units.newUser.submit")}
      cancelText={t("common.cancel")}
      cancelButtonProps={made ? { style: { display: "none" } } : undefined}
      onOk={() => (made ? onClose() : form.submit())}
      onCancel={onClose}
      maskClosable={!made}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {made ? (
        <>
          <Typography.Paragraph>{t("units.newUser.created", { username: made.username })}</Typography.Paragraph>
          <OneTimeSecret label={t("units.temporaryPassword")} secret={made.password} warning={t("units.newUser.warning")} />
        </>
      ) : (
        <>
          <PayloadErrors errors={rest} failure={create.error} fieldsKey="units.fields" />
          <Form<Values> form={form} name="create-user" layout="vertical" onFinish={submit} disabled={create.isPending} initialValues={{ roles: [] }}>
            <Form.Item name="username" label={t("units.newUser.username")} extra={t("units.newUser.usernameHint")} rules={[required(t("units.newUser.username"))]}>
              <Input autoComplete="off" maxLength={80} />
            </Form.Item>
            <Form.Item name="displayName" label={t("units.newUser.displayName")} rules={[required(t("units.newUser.displayName"))]}>
              <Input autoComplete="off" maxLength={200} />
            </Form.Item>
            <Form.Item name="roles" label={t("units.newUser.roles")} extra={t("units.newUser.rolesHint")}>
              <Select mode="multiple" options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
