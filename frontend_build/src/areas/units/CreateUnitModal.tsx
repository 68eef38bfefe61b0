// The form to add a unit under the chosen one: code, names and kind (its level follows from the
// kind); the server's errors beside their fields.
import { App, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { unitName } from "../../format";
import { type TenantKind, type TenantLevel, UnitsCreateDocument } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { childKinds, childLevel, createTenantInput, needsEnglishName, type UnitValues } from "./logic";

type Parent = { id: string; nameZh: string; nameEn: string; level: TenantLevel; kind: TenantKind };
type Props = { open: boolean; parent: Parent; onClose: () => void; onCreated: (id: string) => void };

export function CreateUnitModal({ open, parent, onClose, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<UnitValues>();
  const [rest, setRest] = useState<UserError[]>([]);
  const create = useGqlMutation(UnitsCreateDocument);
  const kind = Form.useWatch("kind", form);
  const required = (key: string) => [
    { required: true, whitespace: true, message: t("units.form.required", { field: t(key) }) },
  ];

  async function submit(values: UnitValues) {
    setRest([]);
    let payload;
    try {
      payload = (await create.mutateAsync({ input: createTenantInput(parent, values) })).createTenant;
    } catch {
      return; // shown above the form
    }
    if (payload.errors.length > 0 || !payload.tenant) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    message.success(t("units.create.created", { name: unitName(payload.tenant, i18n.language) }));
    form.resetFields();
    onClose();
    onCreated(payload.tenant.id);
  }

  return (
    <Modal
      open={open}
      title={t("units.create.title", { parent: unitName(parent, i18n.language) })}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <PayloadErrors
        errors={rest}
        failure={create.error}
        fieldsKey="units.fields"
      />
      <Form<UnitValues> form={form} name="create-unit" layout="vertical" onFinish={submit} disabled={create.isPending}>
        <Form.Item name="kind" label={t("units.form.kind")} rules={[{ required: true, message: t("units.form.required", { field: t("units.form.kind") }) }]}>
          <Select options={childKinds(parent).map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item label={t("units.form.level")} htmlFor="create-unit-level-shown">
          <Input id="create-unit-level-shown" readOnly value={kind ? t(`levels.${childLevel(parent, kind)}`) : ""} />
        </Form.Item>
        <Form.Item name="code" label={t("units.form.code")} extra={t("units.form.codeHint")} rules={[...required("units.form.code"), { max: 40 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameZh" label={t("units.form.nameZh")} rules={[...required("units.form.nameZh"), { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("units.form.nameEn")} rules={[...(needsEnglishName(kind) ? required("units.form.nameEn") : []), { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
