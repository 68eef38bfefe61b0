// The form to open a cycle: opening unit, published template, level assessed, period, dues and
// name; the server's errors beside their fields, then to the new cycle's page.
import { App, DatePicker, Form, Input, Modal, Select } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { unitName } from "../../format";
import {
  CyclePublishedTemplatesDocument,
  CyclesOpenCycleDocument,
  type TenantLevel,
  UnitOptionsDocument,
} from "../../gql/graphql";
import { kindsAssessed, levelsAssessed, openCycleInput, type OpenCycleValues } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";

type Props = { open: boolean; onClose: () => void };

export function OpenCycleModal({ open, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user } = useViewer();
  const [form] = Form.useForm<OpenCycleValues>();
  const adminNode = user?.roles.find((grant) => grant.role === "ADMIN")?.node ?? null;
  const [ownerLevel, setOwnerLevel] = useState<TenantLevel | null>(adminNode?.level ?? null);
  const [rest, setRest] = useState<UserError[]>([]);
  const templates = useGql(CyclePublishedTemplatesDocument, {}, { enabled: open });
  const ownerId = Form.useWatch("ownerNodeId", form);
  const level = Form.useWatch("level", form);
  const kinds = Form.useWatch("kinds", form);
  const units = useGql(
    UnitOptionsDocument,
    { filter: { subtreeOf: ownerId, level }, first: 500 },
    { enabled: open && Boolean(ownerId && level) },
  );
  const openCycle = useGqlMutation(CyclesOpenCycleDocument);

  const required = (field: string) => [{ required: true, message: t("cycles.form.required", { field }) }];

  async function submit(values: OpenCycleValues) {
    setRest([]);
    let payload;
    try {
      payload = (await openCycle.mutateAsync({ input: openCycleInput(values) })).openCycle;
    } catch {
      return; // the failure is shown above the form
    }
    if (payload.errors.length > 0 || !payload.cycle) {
      setRest(showFieldErrors(form, payload.errors));
      return;
    }
    message.success(t("cycles.form.opened", { name: payload.cycle.name }));
    form.resetFields();
    onClose();
    navigate(`/cycles/${encodeURIComponent(payload.cycle.id)}`);
  }

  return (
    <Modal
      open={open}
      title={t("cycles.form.title")}
      okText={t("cycles.form.submit")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={openCycle.isPending}
      okButtonProps={{ disabled: openCycle.isPending }}
      destroyOnHidden
      width={640}
    >
      <PayloadErrors
        errors={rest}
        failure={openCycle.error}
        fieldsKey="cycles.fields"
      />
      <Form<OpenCycleValues>
        form={form}
        name="open-cycle"
        layout="vertical"
        onFinish={submit}
        disabled={openCycle.isPending}
        initialValues={{ ownerNodeId: adminNode?.id }}
      >
        <Form.Item name="ownerNodeId" label={t("cycles.form.owner")} rules={required(t("cycles.form.owner"))}>
          <UnitSelect
            filter={adminNode ? { subtreeOf: adminNode.id } : {}}
            placeholder={t("cycles.form.owner")}
            onChange={(_, unit) => {
              setOwnerLevel(unit.level);
              form.setFieldsValue({ level: undefined, kinds: undefined, unitIds: undefined });
            }}
          />
        </Form.Item>
        <Form.Item name="templateId" label={t("cycles.form.template")} rules={required(t("cycles.form.template"))}>
          <Select
            loading={templates.isLoading}
            options={(templates.data?.templates.edges ?? []).map(({ node }) => ({
              value: node.id,
              label: `${t("cycles.templateLabel", { title: node.title, version: node.version })} · ${unitName(node.owner, i18n.language)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="level" label={t("cycles.form.level")} rules={required(t("cycles.form.level"))}>
          <Select
            options={levelsAssessed(ownerLevel).map((level) => ({
              value: level,
              label: level === ownerLevel ? t("cycles.form.ownLevel", { level: t(`levels.${level}`) }) : t(`levels.${level}`),
            }))}
            onChange={() => form.setFieldsValue({ kinds: undefined, unitIds: undefined })}
          />
        </Form.Item>
        <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
          <Form.Item name="kinds" label={t("cycles.form.kinds")} extra={t("cycles.form.kindsHelp")} style={{ flex: 1, minWidth: 200 }}>
            <Select
              mode="multiple"
              allowClear
              disabled={!level}
              options={kindsAssessed(ownerLevel, level).map((kind) => ({ value: kind, label: t(`units.kinds.${kind}`) }))}
            />
          </Form.Item>
          <Form.Item name="unitIds" label={t("cycles.form.units")} extra={t("cycles.form.unitsHelp")} style={{ flex: 2, minWidth: 260 }}>
            <Select
              mode="multiple"
              allowClear
              disabled={!ownerId || !level}
              loading={units.isLoading}
              showSearch={{ optionFilterProp: "label" }}
              options={(units.data?.tenants.edges ?? [])
                .filter(({ node }) => node.id !== ownerId && (!kinds?.length || kinds.includes(node.kind)))
                .map(({ node }) => ({ value: node.id, label: `${node.code} ${unitName(node, i18n.language)}` }))}
            />
          </Form.Item>
        </div>
        <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
          <Form.Item
            name="periodStart"
            label={t("cycles.form.periodStart")}
            rules={required(t("cycles.form.periodStart"))}
            style={{ flex: 1, minWidth: 200 }}
          >
            <DatePicker style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item
            name="periodEnd"
            label={t("cycles.form.periodEnd")}
            dependencies={["periodStart"]}
            style={{ flex: 1, minWidth: 200 }}
            rules={[
              ...required(t("cycles.form.periodEnd")),
              ({ getFieldValue }) => ({
                validator: (_, end: Dayjs | undefined) => {
                  const start: Dayjs | undefined = getFieldValue("periodStart");
                  return !end || !start || !end.isBefore(start, "day")
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("cycles.form.endBeforeStart")));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: "100%" }} />
          </Form.Item>
        </div>
        <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
          <Form.Item
            name="selfDue"
            label={t("cycles.form.selfDue")}
            rules={required(t("cycles.form.selfDue"))}
            style={{ flex: 1, minWidth: 200 }}
          >
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item
            name="reviewDue"
            label={t("cycles.form.reviewDue")}
            dependencies={["selfDue"]}
            style={{ flex: 1, minWidth: 200 }}
            rules={[
              ...required(t("cycles.form.reviewDue")),
              ({ getFieldValue }) => ({
                validator: (_, review: Dayjs | undefined) => {
                  const self: Dayjs | undefined = getFieldValue("selfDue");
                  return !review || !self || !review.isBefore(self)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("cycles.form.reviewBeforeSelf")));
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />
          </Form.Item>
        </div>
        <Form.Item
          name="appealDue"
          label={t("cycles.form.appealDue")}
          extra={t("cycles.form.appealDueHelp")}
          style={{ maxWidth: 296 }}
        >
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} allowClear />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("cycles.form.name")}
          rules={[...required(t("cycles.form.name")), { whitespace: true, message: t("cycles.form.required", { field: t("cycles.form.name") }) }, { max: 200 }]}
        >
          <Input placeholder={t("cycles.form.namePlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
