// A dialog asking for one reason (returning an assessment, withdrawing a veto): the server's
// refusal beside the field, a conflict with its reload button.
import type { UserError } from "../../api/errors";
import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { OutcomeAlert, useOutcome } from "./outcome";

type Props = {
  open: boolean;
  title: string;
  label: string;
  okText: string;
  danger?: boolean;
  /** The mutation's payload for this reason. */
  submit: (reason: string) => Promise<{ errors: readonly UserError[] }>;
  onDone: () => void;
  onCancel: () => void;
  onReload: () => void;
};

export function ReasonModal({ open, title, label, okText, danger, submit, onDone, onCancel, onReload }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const { outcome, run, clear } = useOutcome();
  const [pending, setPending] = useState(false);

  async function save() {
    setPending(true);
    const reason = (form.getFieldValue("reason") as string | undefined) ?? "";
    const saved = await run(submit(reason), form);
    setPending(false);
    if (saved) {
      form.resetFields();
      clear();
      onDone();
    }
  }

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t("common.cancel")}
      okButtonProps={{ danger, loading: pending, disabled: pending }}
      onOk={save}
      onCancel={() => {
        clear();
        onCancel();
      }}
      destroyOnHidden
    >
      <OutcomeAlert outcome={outcome} onReload={onReload} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={label} required>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
