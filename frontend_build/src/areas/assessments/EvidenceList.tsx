// One indicator's evidence files: download links, removal, and an upload button while editable.
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Popconfirm, Space, Typography, Upload } from "antd";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { formatDate, formatNumber } from "../../format";
import { RemoveAssessmentEvidenceDocument, UploadAssessmentEvidenceDocument } from "../../gql/graphql";
import type { Entry } from "./entries";

type Props = {
  assessmentId: string;
  entry: Entry;
  editable: boolean;
};

export function EvidenceList({ assessmentId, entry, editable }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const upload = useGqlMutation(UploadAssessmentEvidenceDocument);
  const remove = useGqlMutation(RemoveAssessmentEvidenceDocument);
  const code = entry.indicator.code;

  async function send(file: File): Promise<boolean> {
    try {
      const result = await upload.mutateAsync({ input: { assessmentId, itemCode: code, file } });
      const errors = result.uploadEvidence.errors;
      if (errors.length) {
        message.error(errors.map((e) => e.message).join("；"));
        return false;
      }
      message.success(t("assessments.uploaded", { name: file.name }));
      return true;
    } catch (error) {
      message.error(describeFailure(error, t));
      return false;
    }
  }

  async function drop(attachmentId: string) {
    try {
      const result = await remove.mutateAsync({ input: { attachmentId } });
      const errors = result.removeEvidence.errors;
      if (errors.length) message.error(errors.map((e) => e.message).join("；"));
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  }

  return (
    <div>
      <Typography.Text strong>{t("assessments.evidence")}</Typography.Text>
      <ul style={{ listStyle: "none", padding: 0, margin: "4px 0 8px" }} aria-label={`${code} ${t("assessments.evidence")}`}>
        {entry.attachments.length === 0 && (
          <li>
            <Typography.Text type="secondary">{t("assessments.noEvidence")}</Typography.Text>
          </li>
        )}
        {entry.attachments.map((file) => (
          <li key={file.id}>
            <Space size={8} wrap>
              <PaperClipOutlined aria-hidden />
              <a href={file.downloadUrl} download={file.filename}>
                {file.filename}
              </a>
              <Typography.Text type="secondary">
                {formatNumber(Math.max(1, Math.round(file.size / 1024)), i18n.language)} KB ·{" "}
                {formatDate(file.uploadedAt, i18n.language)}
              </Typography.Text>
              {editable && (
                <Popconfirm
                  title={t("assessments.removeConfirm")}
                  okText={t("common.confirm")}
                  cancelText={t("common.cancel")}
                  onConfirm={() => drop(file.id)}
                >
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={remove.isPending}
                    aria-label={`${t("assessments.removeEvidence")} ${file.filename}`}
                  >
                    {t("assessments.removeEvidence")}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          </li>
        ))}
      </ul>
      {editable && (
        <Upload
          showUploadList={false}
          disabled={upload.isPending}
          customRequest={({ file, onSuccess, onError }) => {
            void send(file as File).then((ok) =>
              ok ? onSuccess?.(null) : onError?.(new Error("upload refused")),
            );
          }}
        >
          <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
            {t("assessments.uploadEvidence")}
          </Button>
        </Upload>
      )}
    </div>
  );
}
