// Complete a task element with a note and evidence files, or reopen a done one with a reason.
import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { CompleteTaskElementDocument, ReopenTaskElementDocument, type TaskElementRowFragment } from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { EvidenceUpload } from "./EvidenceUpload";
import { useSubmit } from "./useSubmit";

type Props = {
  element: TaskElementRowFragment;
  mode: "complete" | "reopen";
  onClose: () => void;
  onReload: () => void;
};

export function TaskElementModal({ element, mode, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string; reason?: string }>();
  const [files, setFiles] = useState<File[]>([]);
  const complete = useGqlMutation(CompleteTaskElementDocument);
  const reopen = useGqlMutation(ReopenTaskElementDocument);
  const { problems, failure, run } = useSubmit(form);
  const pending = complete.isPending || reopen.isPending;

  async function submit(values: { note?: string; reason?: string }) {
    const base = { elementId: element.id, expectedVersion: element.version };
    const saved = await run(async () =>
      mode === "complete"
        ? (await complete.mutateAsync({ input: { ...base, note: values.note ?? "", files } })).completeTaskElement
        : (await reopen.mutateAsync({ input: { ...base, reason: values.reason ?? "" } })).reopenTaskElement,
    );
    if (saved) onClose();
  }

  return (
    <Modal
      open
      title={`${t(`ledgers.tasks.${mode}`)} · ${element.code} ${element.title}`}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      okButtonProps={{ disabled: pending }}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} labels={{ files: t("ledgers.evidence") }} onReload={onReload} />
      <Form form={form} layout="vertical" onFinish={submit}>
        {mode === "complete" ? (
          <>
            <Form.Item name="note" label={t("ledgers.tasks.note")} rules={[{ required: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <EvidenceUpload setFiles={setFiles} />
          </>
        ) : (
          <Form.Item name="reason" label={t("common.reason")} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
