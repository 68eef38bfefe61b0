// The dialog that copies a template into its family's next draft version (optionally a new year).
import { Alert, Form, Input, InputNumber, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { NewTemplateVersionDocument } from "../../gql/graphql";

type Values = { year?: number | null; title?: string };

export function NewVersionModal({ templateId, onClose }: { templateId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const copy = useGqlMutation(NewTemplateVersionDocument);
  const [rest, setRest] = useState<UserError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setRest([]);
    setFailure(null);
    try {
      const { newTemplateVersion } = await copy.mutateAsync({
        input: { id: templateId, year: values.year ?? null, title: values.title?.trim() || null },
      });
      if (newTemplateVersion.errors.length) setRest(showFieldErrors(form, newTemplateVersion.errors));
      else if (newTemplateVersion.template) navigate(`/templates/${encodeURIComponent(newTemplateVersion.template.id)}`);
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  return (
    <Modal
      open
      title={t("templates.newVersion.title")}
      okText={t("templates.newVersion.submit")}
      cancelText={t("common.cancel")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: copy.isPending, disabled: copy.isPending }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("templates.newVersion.hint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="year" label={t("templates.newVersion.year")}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="title" label={t("templates.newVersion.templateTitle")}>
          <Input />
        </Form.Item>
      </Form>
      {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => e.message).join("；")} />}
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
