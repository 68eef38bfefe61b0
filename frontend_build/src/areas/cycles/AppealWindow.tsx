// A cycle's appeal window (申诉期): its deadline in words, and for the cycle's admin a dialog to
// open or move it (a moment in China time) or close it; the server's refusals beside the field.
import { App, Button, DatePicker, Form, Modal, Popconfirm, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate } from "../../format";
import { CyclesSetAppealWindowDocument } from "../../gql/graphql";
import { appealWindowInput, fromChinaMoment } from "./logic";

/** The deadline, or that the cycle takes no appeals, with whether it has passed. */
export function AppealDueText({ appealDue }: { appealDue: string | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (!appealDue) return <Typography.Text type="secondary">{t("cycles.appeal.none")}</Typography.Text>;
  const passed = new Date(appealDue).getTime() < Date.now();
  return (
    <Space size={4} wrap>
      <span>{formatDate(appealDue, i18n.language)}</span>
      <Typography.Text type={passed ? "secondary" : "warning"}>
        {t(passed ? "cycles.appeal.passed" : "cycles.appeal.openNow")}
      </Typography.Text>
    </Space>
  );
}

type Props = { cycleId: string; appealDue: string | null | undefined };

/** The admin's "设置申诉期" button and its dialog. */
export function AppealWindowButton({ cycleId, appealDue }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ appealDue: Dayjs | null }>();
  const save = useGqlMutation(CyclesSetAppealWindowDocument);
  const [rest, setRest] = useState<UserError[]>([]);

  async function send(value: Dayjs | null) {
    setRest([]);
    try {
      const payload = (await save.mutateAsync({ input: appealWindowInput(cycleId, value) })).setAppealWindow;
      if (payload.errors.length) {
        setRest(showFieldErrors(form, payload.errors));
        return;
      }
      message.success(t(value ? "cycles.appeal.saved" : "cycles.appeal.closedDone"));
      setOpen(false);
    } catch {
      // shown by PayloadErrors
    }
  }

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t("cycles.appeal.set")}
      </Button>
      <Modal
        open={open}
        title={t("cycles.appeal.title")}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={
          <Space>
            {appealDue && (
              <Popconfirm
                title={t("cycles.appeal.closeConfirm")}
                okText={t("common.confirm")}
                cancelText={t("common.cancel")}
                onConfirm={() => send(null)}
              >
                <Button danger disabled={save.isPending}>
                  {t("cycles.appeal.close")}
                </Button>
              </Popconfirm>
            )}
            <Button onClick={() => setOpen(false)}>{t("common.cancel")}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
              {t("common.save")}
            </Button>
          </Space>
        }
      >
        <PayloadErrors errors={rest} failure={save.error} fieldsKey="cycles.fields" />
        <Form
          form={form}
          layout="vertical"
          name="appeal-window"
          preserve={false}
          initialValues={{ appealDue: appealDue ? fromChinaMoment(appealDue) : null }}
          onFinish={(values) => send(values.appealDue ?? null)}
        >
          <Form.Item
            name="appealDue"
            label={t("cycles.form.appealDue")}
            extra={t("cycles.appeal.help")}
            rules={[{ required: true, message: t("cycles.form.required", { field: t("cycles.form.appealDue") }) }]}
          >
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
