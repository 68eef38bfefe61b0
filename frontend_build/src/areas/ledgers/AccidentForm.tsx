// The form that records an accident, or corrects one (a full restatement with a reason).
import { Alert, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, TimePicker } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { type AccidentRowFragment, CorrectAccidentDocument, RecordAccidentDocument } from "../../gql/graphql";
import { accidentClassOf, accidentInput, type AccidentFormValues, pickerTime, SECTORS } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { useSubmit } from "./useSubmit";

type Props = {
  /** The accident to correct; absent to record a new one. */
  accident?: AccidentRowFragment | null;
  open: boolean;
  onClose: () => void;
  onSaved?: (accident: AccidentRowFragment) => void;
  onReload?: () => void;
};

export function AccidentForm({ accident, open, onClose, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const { user } = useViewer();
  const [form] = Form.useForm<AccidentFormValues & { reason?: string }>();
  const record = useGqlMutation(RecordAccidentDocument);
  const correct = useGqlMutation(CorrectAccidentDocument);
  const { problems, failure, run } = useSubmit(form);
  const status = Form.useWatch("reportStatus", form);
  const deaths = Form.useWatch("deaths", form) ?? 0;
  const injuries = Form.useWatch("seriousInjuries", form) ?? 0;
  const loss = Form.useWatch("directLoss", form) ?? 0;
  const pending = record.isPending || correct.isPending;

  const initial = accident
    ? {
        nodeId: accident.unit.id,
        occurredOn: dayjs(accident.occurredOn),
        occurredTime: pickerTime(accident.occurredOn, accident.occurredTime),
        title: accident.title,
        sector: accident.sector,
        deaths: accident.deaths,
        seriousInjuries: accident.seriousInjuries,
        directLoss: Number(accident.directLoss),
        reportStatus: accident.reportStatus,
        reportedAt: accident.reportedAt ? dayjs(accident.reportedAt) : null,
        discoveredOn: accident.discoveredOn ? dayjs(accident.discoveredOn) : null,
        description: accident.description,
      }
    : { deaths: 0, seriousInjuries: 0, directLoss: 0, reportStatus: "ON_TIME" as const };

  async function submit(values: AccidentFormValues & { reason?: string }) {
    const input = accidentInput(values);
    const payload = await run(async () => {
      if (!accident) return (await record.mutateAsync({ input })).recordAccident;
      const { nodeId: _unit, ...rest } = input;
      void _unit;
      const data = await correct.mutateAsync({
        input: { ...rest, accidentId: accident.id, expectedVersion: accident.version, reason: values.reason ?? "" },
      });
      return data.correctAccident;
    });
    if (!payload) return;
    if (payload.accident) onSaved?.(payload.accident);
    form.resetFields();
    onClose();
  }

  return (
    <Modal
      open={open}
      title={accident ? t("ledgers.accidents.correct") : t("ledgers.accidents.record")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      okButtonProps={{ disabled: pending }}
      width={720}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} onReload={onReload} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} preserve={false}>
        <Form.Item name="nodeId" label={t("ledgers.accidents.unit")} rules={[{ required: true }]}>
          <UnitSelect
            placeholder={t("ledgers.accidents.unit")}
            filter={{ subtreeOf: user?.node.id }}
            onChange={(id) => form.setFieldValue("nodeId", id)}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={14}>
            <Form.Item name="occurredOn" label={t("ledgers.accidents.occurredOn")} rules={[{ required: true }]}>
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="occurredTime" label={t("ledgers.accidents.occurredTime")}>
              <TimePicker format="HH:mm" needConfirm={false} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t("ledgers.accidents.title")} rules={[{ required: true, max: 300 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="sector" label={t("ledgers.sector")} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: "label" }} options={SECTORS.map((s) => ({ value: s, label: t(`ledgers.sectors.${s}`) }))} />
        </Form.Item>
        <Form.Item name="deaths" label={t("ledgers.accidents.deaths")} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="seriousInjuries" label={t("ledgers.accidents.injuries")} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="directLoss" label={t("ledgers.accidents.lossYuan")} rules={[{ required: true }]}>
          <InputNumber min={0} precision={2} style={{ width: "100%" }} />
        </Form.Item>
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t("ledgers.accidents.classPreview", {
            class: t(`ledgers.classes.${accidentClassOf(Number(deaths), Number(injuries), Number(loss))}`),
          })}
        />
        <Form.Item name="reportStatus" label={t("ledgers.accidents.reportStatus")} rules={[{ required: true }]}>
          <Select
            options={(["ON_TIME", "LATE", "CONCEALED"] as const).map((s) => ({
              value: s,
              label: t(`ledgers.reportStatuses.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="reportedAt" label={t("ledgers.accidents.reportedAt")}>
          <DatePicker showTime style={{ width: "100%" }} />
        </Form.Item>
        {status === "CONCEALED" && (
          <Form.Item name="discoveredOn" label={t("ledgers.accidents.discoveredOn")}>
            <DatePicker style={{ width: "100%" }} />
          </Form.Item>
        )}
        <Form.Item name="description" label={t("ledgers.description")} rules={[{ max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {accident && (
          <Form.Item name="reason" label={t("common.reason")} rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
