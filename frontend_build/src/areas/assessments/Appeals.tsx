// Appeals (申诉) on the unit's form: the deadline, every appeal of the assessment with its
// decision and evidence, the dialog filing one on an indicator (the reason, then optional
// evidence), and the context telling each indicator card whether it may be appealed now.
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, List, Modal, Popconfirm, Space, Tag, Typography, Upload } from "antd";
import { createContext, useContext, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate, formatNumber, formatPoints } from "../../format";
import {
  type AssessmentAppealFragment,
  FileAppealDocument,
  RemoveAssessmentEvidenceDocument,
  UploadAppealEvidenceDocument,
} from "../../gql/graphql";
import { type AppealWindow, appealColor, fileAppealInput, waitingOn } from "./appeals";

export type Appeal = AssessmentAppealFragment;

type AppealContextValue = {
  /** Whether the user may file an appeal now (the unit's submitter, window open, reviewed). */
  canFile: boolean;
  appeals: readonly Appeal[];
  onAppeal: (itemCode: string, title: string) => void;
};

export const AppealContext = createContext<AppealContextValue>({ canFile: false, appeals: [], onAppeal: () => undefined });

/** The "申诉" button of one indicator card, or its "waiting" tag; nothing when it may not be appealed. */
export function AppealButton({ itemCode, title }: { itemCode: string; title: string }) {
  const { t } = useTranslation();
  const { canFile, appeals, onAppeal } = useContext(AppealContext);
  if (waitingOn(appeals, itemCode)) return <Tag color={appealColor("OPEN")}>{t("assessments.appeal.waitingTag")}</Tag>;
  if (!canFile) return null;
  return (
    <Button size="small" danger onClick={() => onAppeal(itemCode, title)} aria-label={t("assessments.appeal.fileFor", { code: itemCode })}>
      {t("assessments.appeal.file")}
    </Button>
  );
}

/** The deadline in words: the cycle takes none, until when, or over. */
export function AppealDeadline({ window, appealDue }: { window: AppealWindow; appealDue: string | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (window === "none") return <Alert type="info" showIcon title={t("assessments.appeal.none")} />;
  const date = formatDate(appealDue, i18n.language);
  if (window === "closed") return <Alert type="info" showIcon title={t("assessments.appeal.closed", { date })} />;
  return <Alert type="warning" showIcon title={t("assessments.appeal.due", { date })} />;
}

type PanelProps = {
  appeals: readonly Appeal[];
  titles: Map<string, string>;
  /** The unit's submitter: may add or remove evidence of a waiting appeal. */
  mayEdit: boolean;
  window: AppealWindow;
  appealDue: string | null | undefined;
};

/** Every appeal of the assessment, oldest first. */
export function AppealsPanel({ appeals, titles, mayEdit, window, appealDue }: PanelProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <Card size="small" title={t("assessments.appeal.title")} role="region" aria-label={t("assessments.appeal.title")} style={{ marginBottom: 16 }}>
      <Space orientation="vertical" style={{ width: "100%" }}>
        <AppealDeadline window={window} appealDue={appealDue} />
        <List
          size="small"
          dataSource={[...appeals]}
          locale={{ emptyText: t("assessments.appeal.empty") }}
          renderItem={(appeal) => (
            <List.Item key={appeal.id} aria-label={t("assessments.appeal.itemLabel", { code: appeal.itemCode })}>
              <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                <Space wrap>
                  <Typography.Text strong>
                    {appeal.itemCode} {titles.get(appeal.itemCode) ?? ""}
                  </Typography.Text>
                  <Tag color={appealColor(appeal.state)}>{t(`assessments.appeal.states.${appeal.state}`)}</Tag>
                  <Typography.Text>
                    {appeal.state === "OPEN"
                      ? t("assessments.appeal.pointsWaiting", { before: formatPoints(appeal.pointsBefore, language) })
                      : t("assessments.appeal.points", {
                          before: formatPoints(appeal.pointsBefore, language),
                          after: formatPoints(appeal.state === "ACCEPTED" ? appeal.pointsAfter : appeal.pointsBefore, language),
                        })}
                  </Typography.Text>
                </Space>
                <Typography.Text>{t("assessments.appeal.reasonLine", { reason: appeal.reason })}</Typography.Text>
                <Typography.Text type="secondary">
                  {t("assessments.appeal.filedLine", {
                    who: appeal.filedBy?.displayName ?? "—",
                    when: formatDate(appeal.filedAt, language),
                  })}
                </Typography.Text>
                {appeal.state !== "OPEN" && (
                  <Typography.Text type={appeal.state === "ACCEPTED" ? "success" : "danger"}>
                    {t("assessments.appeal.decidedLine", {
                      who: appeal.decidedBy?.displayName ?? "—",
                      when: formatDate(appeal.decidedAt, language),
                      reason: appeal.decisionReason ?? "",
                    })}
                  </Typography.Text>
                )}
                <AppealEvidence appeal={appeal} editable={mayEdit && appeal.state === "OPEN"} />
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}

/** An appeal's evidence files; while it waits the unit adds or removes them. */
function AppealEvidence({ appeal, editable }: { appeal: Appeal; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const remove = useGqlMutation(RemoveAssessmentEvidenceDocument);

  async function drop(attachmentId: string) {
    try {
      const errors = (await remove.mutateAsync({ input: { attachmentId } })).removeEvidence.errors;
      if (errors.length) message.error(errors.map((e) => e.message).join("；"));
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  }

  if (appeal.evidence.length === 0 && !editable) return null;
  return (
    <div>
      {appeal.evidence.map((file) => (
        <Space key={file.id} size={8} wrap>
          <PaperClipOutlined aria-hidden />
          <a href={file.downloadUrl} download={file.filename}>
            {file.filename}
          </a>
          <Typography.Text type="secondary">{formatNumber(Math.max(1, Math.round(file.size / 1024)), i18n.language)} KB</Typography.Text>
          {editable && (
            <Popconfirm title={t("assessments.removeConfirm")} okText={t("common.confirm")} cancelText={t("common.cancel")} onConfirm={() => drop(file.id)}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`${t("assessments.removeEvidence")} ${file.filename}`}>
                {t("assessments.removeEvidence")}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ))}
      {editable && <AppealUpload appealId={appeal.id} />}
    </div>
  );
}

/** The upload button adding one evidence file to a waiting appeal. */
function AppealUpload({ appealId, onUploaded }: { appealId: string; onUploaded?: (name: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useGqlMutation(UploadAppealEvidenceDocument);

  async function send(file: File): Promise<boolean> {
    try {
      const errors = (await upload.mutateAsync({ input: { appealId, file } })).uploadAppealEvidence.errors;
      if (errors.length) {
        message.error(errors.map((e) => e.message).join("；"));
        return false;
      }
      message.success(t("assessments.uploaded", { name: file.name }));
      onUploaded?.(file.name);
      return true;
    } catch (error) {
      message.error(describeFailure(error, t));
      return false;
    }
  }

  return (
    <Upload
      showUploadList={false}
      disabled={upload.isPending}
      customRequest={({ file, onSuccess, onError }) => {
        void send(file as File).then((ok) => (ok ? onSuccess?.(null) : onError?.(new Error("upload refused"))));
      }}
    >
      <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
        {t("assessments.appeal.uploadEvidence")}
      </Button>
    </Upload>
  );
}

type ModalProps = {
  assessmentId: string;
  itemCode: string;
  title: string;
  onClose: () => void;
};

/** Filing an appeal on one indicator: the reason (refusals beside it), then evidence if any. */
export function AppealModal({ assessmentId, itemCode, title, onClose }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const file = useGqlMutation(FileAppealDocument);
  const [rest, setRest] = useState<UserError[]>([]);
  const [filed, setFiled] = useState<Appeal | null>(null);
  const [uploaded, setUploaded] = useState<string[]>([]);

  async function submit(values: { reason: string }) {
    setRest([]);
    try {
      const payload = (await file.mutateAsync({ input: fileAppealInput(assessmentId, itemCode, values.reason) })).fileAppeal;
      if (payload.errors.length || !payload.appeal) {
        setRest(showFieldErrors(form, payload.errors));
        return;
      }
      setFiled(payload.appeal);
      message.success(t("assessments.appeal.filed", { code: itemCode }));
    } catch {
      // shown by PayloadErrors
    }
  }

  return (
    <Modal
      open
      title={t("assessments.appeal.modalTitle", { code: itemCode, title })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        filed ? (
          <Button type="primary" onClick={onClose}>
            {t("assessments.appeal.done")}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="primary" danger loading={file.isPending} onClick={() => form.submit()}>
              {t("assessments.appeal.submit")}
            </Button>
          </Space>
        )
      }
    >
      {filed ? (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Alert type="success" showIcon title={t("assessments.appeal.filedHint")} />
          {uploaded.map((name) => (
            <div key={name}>
              <PaperClipOutlined aria-hidden /> {name}
            </div>
          ))}
          <AppealUpload appealId={filed.id} onUploaded={(name) => setUploaded((names) => [...names, name])} />
        </Space>
      ) : (
        <>
          <PayloadErrors errors={rest} failure={file.error} fieldsKey="assessments.appeal.fields" />
          <Form form={form} layout="vertical" onFinish={submit} disabled={file.isPending}>
            <Form.Item
              name="reason"
              label={t("assessments.appeal.reason")}
              rules={[{ required: true, whitespace: true, message: t("assessments.appeal.reasonRequired") }]}
            >
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t("assessments.appeal.reasonPlaceholder")} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
