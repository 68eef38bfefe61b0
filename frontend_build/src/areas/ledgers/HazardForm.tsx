// Record a hidden hazard in a unit's ledger (its keepers); it starts OPEN.
import { DatePicker, Form, Input, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { type HazardSeverity, type HazardSource, RecordHazardDocument, type Sector } from "../../gql/graphql";
import { SECTORS } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { useSubmit } from "./useSubmit";

type Values = {
  nodeId: string;
  title: string;
  sector: Sector;
  source: HazardSource;
  severity: HazardSeverity;
  foundOn: Dayjs;
  deadline: Dayjs;
  place?: string;
  description?: string;
};

export function HazardForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useViewer();
  const [form] = Form.useForm<Values>();
  const record = useGqlMutation(RecordHazardDocument);
  const { problems, failure, run } = useSubmit(form);

  async function submit(v: Values) {
    const saved = await run(async () => {
      const data = await record.mutateAsync({
        input: {
          nodeId: v.nodeId,
          title: v.title.trim(),
          sector: v.sector,
          source: v.source,
          severity: v.severity,
          foundOn: v.foundOn.format("YYYY-MM-DD"),
          deadline: v.deadline.format("YYYY-MM-DD"),
          place: v.place?.trim() ?? "",
          description: v.description?.trim() ?? "",
        },
      });
      return data.recordHazard;
    });
    if (saved) onClose();
  }

  return (
    <Modal
      open={open}
      title={t("ledgers.hazards.record")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={record.isPending}
      okButtonProps={{ disabled: record.isPending }}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ source: "SELF_INSPECTION", severity: "GENERAL", foundOn: dayjs() }}
      >
        <Form.Item name="nodeId" label={t("ledgers.hazards.unit")} rules={[{ required: true }]}>
          <UnitSelect placeholder={t("ledgers.hazards.unit")} filter={{ subtreeOf: user?.node.id }} onChange={(id) => form.setFieldValue("nodeId", id)} />
        </Form.Item>
        <Form.Item name="title" label={t("ledgers.hazards.title")} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="place" label={t("ledgers.hazards.place")}>
          <Input />
        </Form.Item>
        <Form.Item name="sector" label={t("ledgers.sector")} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: "label" }} options={SECTORS.map((s) => ({ value: s, label: t(`ledgers.sectors.${s}`) }))} />
        </Form.Item>
        <Form.Item name="source" label={t("ledgers.hazards.source")} rules={[{ required: true }]}>
          <Select
            options={(["SELF_INSPECTION", "DEPARTMENT_INSPECTION"] as const).map((s) => ({
              value: s,
              label: t(`ledgers.hazards.sources.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="severity" label={t("ledgers.hazards.severity")} rules={[{ required: true }]}>
          <Select
            options={(["GENERAL", "MAJOR"] as const).map((s) => ({ value: s, label: t(`ledgers.hazards.severities.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="foundOn" label={t("ledgers.hazards.foundOn")} rules={[{ required: true }]}>
          <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
        </Form.Item>
        <Form.Item name="deadline" label={t("ledgers.hazards.deadline")} rules={[{ required: true }]}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="description" label={t("ledgers.description")}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
