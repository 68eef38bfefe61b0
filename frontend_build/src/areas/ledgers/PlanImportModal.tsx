// Import an action plan from an Excel workbook (the layout of a plan's download, or the blank one).
import { UploadOutlined } from "@ant-design/icons";
import { Button, Form, Modal, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { UnitSelect } from "../../components/UnitSelect";
import { ImportActionPlanDocument } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { useSubmit } from "./useSubmit";

export function PlanImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useViewer();
  const [form] = Form.useForm<{ ownerNodeId: string }>();
  const [file, setFile] = useState<File | null>(null);
  const mutation = useGqlMutation(ImportActionPlanDocument);
  const { problems, failure, run } = useSubmit(form);

  async function submit({ ownerNodeId }: { ownerNodeId: string }) {
    const saved = await run(async () => {
      if (!file) return { errors: [{ field: "file", message: t("ledgers.tasks.pickFile"), code: "REQUIRED" }] };
      return (await mutation.mutateAsync({ input: { ownerNodeId, file } })).importActionPlan;
    });
    if (!saved) return;
    setFile(null);
    onClose();
  }

  return (
    <Modal
      open={open}
      title={t("ledgers.tasks.import")}
      okText={t("common.upload")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      okButtonProps={{ disabled: mutation.isPending }}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} labels={{ file: t("ledgers.tasks.workbook") }} />
      <Typography.Paragraph>
        <a href="/files/plans/template.xlsx">{t("ledgers.tasks.blank")}</a>
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ ownerNodeId: user?.node.id }}>
        <Form.Item name="ownerNodeId" label={t("ledgers.tasks.owner")} rules={[{ required: true }]}>
          <UnitSelect placeholder={t("ledgers.tasks.owner")} filter={{ subtreeOf: user?.node.id }} onChange={(id) => form.setFieldValue("ownerNodeId", id)} />
        </Form.Item>
        <Form.Item label={t("ledgers.tasks.workbook")} required>
          <Upload
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>{t("ledgers.tasks.pickFile")}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
