// The form to give a user a role on their unit or a unit below it; the server's errors beside
// their fields (a role already held is a duplicate).
import { App, Form, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { UnitSelect } from "../../components/UnitSelect";
import { type Role, UnitsGrantRoleDocument } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";

const ROLES: Role[] = ["ADMIN", "TEMPLATE_AUTHOR", "ASSESSOR", "SUBMITTER", "VIEWER"];

type User = { id: string; displayName: string; node: { id: string } };
type Values = { role: Role; nodeId: string };

export function GrantRoleModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [rest, setRest] = useState<UserError[]>([]);
  const grant = useGqlMutation(UnitsGrantRoleDocument);

  async function submit(values: Values) {
    setRest([]);
    let payload;
    try {
      payload = (await grant.mutateAsync({ input: { userId: user.id, ...values } })).grantRole;
    } catch {
      return; // shown above the form
    }
    if (payload.errors.length > 0 || !payload.roleGrant) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    message.success(t("units.grant.granted"));
    onClose();
  }

  return (
    <Modal
      open
      title={t("units.grant.title", { user: user.displayName })}
      okText={t("units.grant.submit")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={grant.isPending}
      destroyOnHidden
    >
      <PayloadErrors
        errors={rest}
        failure={grant.error}
        fieldsKey="units.fields"
      />
      <Form<Values>
        form={form}
        name="grant-role"
        layout="vertical"
        onFinish={submit}
        disabled={grant.isPending}
        initialValues={{ nodeId: user.node.id }}
      >
        <Form.Item name="role" label={t("units.grant.role")} rules={[{ required: true, message: t("units.form.required", { field: t("units.grant.role") }) }]}>
          <Select options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item name="nodeId" label={t("units.grant.node")} extra={t("units.grant.nodeHint")} rules={[{ required: true }]}>
          <UnitSelect filter={{ subtreeOf: user.node.id }} placeholder={t("units.grant.node")} onChange={() => undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
