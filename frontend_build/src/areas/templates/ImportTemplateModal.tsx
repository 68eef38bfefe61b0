// The dialog that imports an .xlsx workbook: a new family, the next draft of a family, or (from
// the editor) a draft's new content.
import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input, Modal, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { ImportTemplateDocument } from "../../gql/graphql";

type Props = {
  onClose: () => void;
  /** A new family or the next version of one: the province writing it. */
  ownerNodeId?: string;
  /** Replace this draft's content. */
  draft?: { id: string; lockVersion: number };
};

type Values = { familyCode?: string; familyName?: string };

export function ImportTemplateModal({ onClose, ownerNodeId, draft }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const upload = useGqlMutation(ImportTemplateDocument);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState(false);
  const [rest, setRest] = useState<UserError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setRest([]);
    setFailure(null);
    if (!file) {
      setFileError(true);
      return;
    }
    try {
      const input = draft
        ? { file, id: draft.id, expectedVersion: draft.lockVersion }
        : {
            file,
            ownerNodeId: ownerNodeId ?? null,
            familyCode: values.familyCode?.trim() || null,
            familyName: values.familyName?.trim() || null,
          };
      const { importTemplate } = await upload.mutateAsync({ input });
      if (importTemplate.errors.length) {
        setRest(showFieldErrors(form, importTemplate.errors));
      } else if (importTemplate.template) {
        onClose();
        if (!draft) navigate(`/templates/${encodeURIComponent(importTemplate.template.id)}`);
      }
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  return (
    <Modal
      open
      title={draft ? t("templates.import.replace") : t("templates.import.title")}
      okText={t("templates.import.submit")}
      cancelText={t("common.cancel")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: upload.isPending, disabled: upload.isPending }}
      destroyOnHidden
    >
      {!draft && <Typography.Paragraph type="secondary">{t("templates.import.hint")}</Typography.Paragraph>}
      <Form form={form} layout="vertical" onFinish={submit}>
        {!draft && (
          <>
            <Form.Item
              name="familyCode"
              label={t("templates.create.familyCode")}
              rules={[{ required: true, message: t("templates.create.required", { field: t("templates.create.familyCode") }) }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="familyName" label={t("templates.create.familyName")}>
              <Input />
            </Form.Item>
          </>
        )}
        <Form.Item
          label={t("templates.import.file")}
          htmlFor="template-import-file"
          validateStatus={fileError ? "error" : undefined}
          help={fileError ? t("templates.import.fileRequired") : undefined}
        >
          <Upload
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            beforeUpload={(chosen) => {
              setFile(chosen);
              setFileError(false);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: "1", name: file.name, status: "done" }] : []}
          >
            <Button id="template-import-file" icon={<UploadOutlined />}>
              {t("templates.import.choose")}
            </Button>
          </Upload>
        </Form.Item>
      </Form>
      {rest.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t("templates.import.cellErrors")}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {rest.map((e, i) => (
                <li key={i}>{e.field ? `${e.field}: ${e.message}` : e.message}</li>
              ))}
            </ul>
          }
        />
      )}
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
