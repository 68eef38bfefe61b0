// Spot-check findings (四不两直) of an assessment, and the dialog recording a new one.
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography, message } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { formatDate, formatPoints } from "../../format";
import { ReviewsAddSpotCheckDocument } from "../../gql/graphql";
import type { AssessmentNode } from "./logic";
import { OutcomeAlert, useOutcome } from "./outcome";

type Values = { itemCode?: string; points?: string; finding?: string; checkedOn?: Dayjs | null };

export function SpotChecks({
  assessment,
  canAdd,
  onReload,
}: {
  assessment: AssessmentNode;
  canAdd: boolean;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [open, setOpen] = useState(false);
  const titles = new Map(assessment.entries.map((e) => [e.indicator.code, e.indicator.title]));
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {canAdd && (
        <Button type="primary" onClick={() => setOpen(true)}>
          {t("reviews.spot.add")}
        </Button>
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={assessment.spotChecks}
        locale={{ emptyText: t("reviews.spot.empty") }}
        columns={[
          {
            title: t("reviews.spot.item"),
            dataIndex: "itemCode",
            render: (code: string) => `${code} ${titles.get(code) ?? ""}`,
          },
          {
            title: t("reviews.spot.points"),
            dataIndex: "points",
            align: "right",
            render: (v: string) => `−${formatPoints(v, language)}`,
          },
          { title: t("reviews.spot.finding"), dataIndex: "finding" },
          { title: t("reviews.spot.checkedOn"), dataIndex: "checkedOn", render: (v: string) => formatDate(v, language) },
          {
            title: t("reviews.spot.raisedBy"),
            key: "by",
            render: (_, s) => s.raisedBy?.displayName ?? <Typography.Text type="secondary">—</Typography.Text>,
          },
        ]}
      />
      {open && <SpotCheckModal assessment={assessment} onClose={() => setOpen(false)} onReload={onReload} />}
    </Space>
  );
}

function SpotCheckModal({
  assessment,
  onClose,
  onReload,
}: {
  assessment: AssessmentNode;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const add = useGqlMutation(ReviewsAddSpotCheckDocument);
  const { outcome, run } = useOutcome();

  async function save() {
    const v = form.getFieldsValue(true) as Values;
    const saved = await run(
      add
        .mutateAsync({
          input: {
            assessmentId: assessment.id,
            itemCode: v.itemCode ?? "",
            points: (v.points ?? "").trim() || "0",
            finding: v.finding ?? "",
            checkedOn: v.checkedOn ? v.checkedOn.format("YYYY-MM-DD") : "",
          },
        })
        .then((d) => d.addSpotCheck),
      form,
    );
    if (saved) {
      void message.success(t("reviews.spot.added"));
      onClose();
    }
  }

  return (
    <Modal
      open
      title={t("reviews.spot.title")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: add.isPending, disabled: add.isPending }}
      onOk={() => void form.validateFields().then(save, () => undefined)}
      onCancel={onClose}
    >
      <OutcomeAlert outcome={outcome} onReload={onReload} />
      <Form form={form} layout="vertical">
        <Form.Item name="itemCode" label={t("reviews.spot.item")} rules={[{ required: true, message: t("reviews.spot.item") }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={assessment.entries.map((e) => ({
              value: e.indicator.code,
              label: `${e.indicator.code} ${e.indicator.title}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="points" label={t("reviews.spot.points")} required>
          <Input inputMode="decimal" style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="finding" label={t("reviews.spot.finding")} required>
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item
          name="checkedOn"
          label={t("reviews.spot.checkedOn")}
          rules={[{ required: true, message: t("reviews.spot.checkedOn") }]}
        >
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
