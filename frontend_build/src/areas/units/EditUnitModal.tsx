// The form to rename, re-code, re-kind or move a unit (under another parent of the same level,
// with its subtree); only what changed is sent, the server's errors beside their fields.
import { App, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { UnitSelect } from "../../components/UnitSelect";
import { unitName } from "../../format";
import { type TenantKind, type TenantLevel, UnitsUpdateDocument } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { kindsAt } from "../../kinds";
import { type EditValues, needsEnglishName, updateTenantInput } from "./logic";

type Unit = {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  level: TenantLevel;
  kind: TenantKind;
  parent?: { id: string; level: TenantLevel } | null;
};
type Props = { open: boolean; unit: Unit; onClose: () => void; onSaved: () => void };

export function EditUnitModal({ open, unit, onClose, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const kind = Form.useWatch("kind", form) ?? unit.kind;
  const [rest, setRest] = useState<UserError[]>([]);
  const update = useGqlMutation(UnitsUpdateDocument);
  const required = (key: string) => [
    { required: true, whitespace: true, message: t("units.form.required", { field: t(key) }) },
  ];

  async function submit(values: EditValues) {
    setRest([]);
    const input = updateTenantInput({ ...unit, parentId: unit.parent?.id ?? null }, values);
    if (!input) {
      setRest([{ message: t("units.form.nothingChanged"), code: "INVALID" }]);
      return;
    }
    let payload;
    try {
      payload = (await update.mutateAsync({ input })).updateTenant;
    } catch {
      return; // shown above the form
    }
    if (payload.errors.length > 0 || !payload.tenant) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    message.success(t("units.edit.saved", { name: unitName(payload.tenant, i18n.language) }));
    onClose();
    onSaved();
  }

  return (
    <Modal
      open={open}
      title={t("units.edit.title", { name: unitName(unit, i18n.language) })}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <PayloadErrors
        errors={rest}
        failure={update.error}
        fieldsKey="units.fields"
      />
      <Form<EditValues>
        form={form}
        name="edit-unit"
        layout="vertical"
        onFinish={submit}
        disabled={update.isPending}
        initialValues={{ code: unit.code, nameZh: unit.nameZh, nameEn: unit.nameEn, kind: unit.kind, parentId: unit.parent?.id }}
      >
        <Form.Item name="code" label={t("units.form.code")} rules={[...required("units.form.code"), { max: 40 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameZh" label={t("units.form.nameZh")} rules={[...required("units.form.nameZh"), { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("units.form.nameEn")} rules={[...(needsEnglishName(kind) ? required("units.form.nameEn") : []), { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="kind" label={t("units.form.kind")}>
          <Select options={kindsAt(unit.level).map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))} />
        </Form.Item>
        {unit.parent && (
          <Form.Item name="parentId" label={t("units.form.parent")} extra={t("units.edit.parentHint")}>
            <UnitSelect filter={{ level: unit.parent.level }} placeholder={t("units.form.parent")} onChange={() => undefined} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
