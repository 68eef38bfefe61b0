// One indicator under review: its requirement and criteria, what the unit entered and how it
// scores, its evidence; the reviewer confirms it or adjusts the points with a reason (refusals beside the fields).
import { Alert, Descriptions, Form, Input, Modal, Radio, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { RequirementText } from "../../components/RequirementText";
import { formatPoints } from "../../format";
import { ReviewsReviewEntriesDocument } from "../../gql/graphql";
import { type AdjustValues, adjustDefaults, type EntryRow, reviewInputOf, selfInputParts } from "./logic";
import { OutcomeAlert, useOutcome } from "./outcome";
import { Evidence } from "./Evidence";

type Props = {
  assessmentId: string;
  version: number;
  entry: EntryRow | null;
  /** False: the indicator's details only. */
  reviewable: boolean;
  onClose: () => void;
  onSaved: (code: string) => void;
  onReload: () => void;
};

export function AdjustModal({ assessmentId, version, entry, reviewable, onClose, onSaved, onReload }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [form] = Form.useForm<AdjustValues>();
  const decision = Form.useWatch("decision", form);
  const naAccepted = Form.useWatch("naAccepted", form);
  const review = useGqlMutation(ReviewsReviewEntriesDocument);
  const { outcome, run, clear } = useOutcome();
  const [pending, setPending] = useState(false);
  if (!entry) return null;
  const indicator = entry.indicator;
  const claimedNa = entry.notApplicable;
  const scoring = !(claimedNa && naAccepted);

  async function save() {
    if (!entry) return;
    const values = form.getFieldsValue(true) as AdjustValues;
    const input = reviewInputOf(indicator.code, values, claimedNa);
    setPending(true);
    const saved = await run(
      review
        .mutateAsync({ input: { assessmentId, expectedVersion: version, reviews: [input] } })
        .then((d) => d.reviewEntries),
      form,
      ["input", "reviews[0]"],
    );
    setPending(false);
    if (saved) {
      clear();
      onSaved(indicator.code);
    }
  }

  const explanation = (entry.reviewedScore ?? entry.selfScore)?.explanation ?? [];
  return (
    <Modal
      open
      width={760}
      title={t("reviews.adjust.title", { code: indicator.code, title: indicator.title })}
      onCancel={() => {
        clear();
        onClose();
      }}
      okText={t("common.save")}
      cancelText={reviewable ? t("common.cancel") : t("common.back")}
      onOk={reviewable ? save : onClose}
      okButtonProps={{ loading: pending, disabled: pending, style: reviewable ? {} : { display: "none" } }}
      destroyOnHidden
    >
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Descriptions size="small" column={1} bordered>
          {indicator.requirement.trim() && (
            <Descriptions.Item label={t("reviews.adjust.requirement")}>
              <RequirementText text={indicator.requirement} style={{ marginBottom: 0 }} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t("reviews.adjust.criteria")}>{indicator.criteria || "—"}</Descriptions.Item>
          <Descriptions.Item label={t("reviews.table.selfInput")}>
            {selfInputParts(entry).map((p) => t(`reviews.${p.key}`, p.values)).join("；")}
            {entry.ledgerFigure && (
              <div>
                <Typography.Text type="secondary">
                  {t("reviews.input.ledger", { basis: entry.ledgerFigure.basis })}
                </Typography.Text>
              </div>
            )}
            {entry.note && <div>{t("reviews.input.note", { note: entry.note })}</div>}
          </Descriptions.Item>
          <Descriptions.Item label={t("reviews.adjust.selfPoints")}>
            {formatPoints(entry.selfScore?.points, language)} / {formatPoints(indicator.maxPoints, language)}
          </Descriptions.Item>
          <Descriptions.Item label={t("reviews.table.evidence")}>
            <Evidence attachments={entry.attachments} />
          </Descriptions.Item>
        </Descriptions>
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          scroll={{ x: true }}
          caption={<Typography.Text strong>{t("reviews.adjust.explanation")}</Typography.Text>}
          dataSource={explanation}
          columns={[
            { title: t("reviews.scorecard.rule"), dataIndex: "rule" },
            { title: t("reviews.scorecard.input"), dataIndex: "input" },
            { title: t("reviews.scorecard.text"), dataIndex: "text" },
            {
              title: t("reviews.scorecard.points"),
              dataIndex: "points",
              align: "right",
              width: 80,
              render: (v: string) => formatPoints(v, language),
            },
          ]}
        />
        {reviewable && (
          <>
            <OutcomeAlert outcome={outcome} onReload={onReload} />
            <Form form={form} layout="vertical" initialValues={adjustDefaults(entry)} preserve>
              {claimedNa && (
                <Form.Item name="naAccepted" label={t("reviews.adjust.naDecision")}>
                  <Radio.Group
                    options={[
                      { value: true, label: t("reviews.adjust.naAccept") },
                      { value: false, label: t("reviews.adjust.naRefuse") },
                    ]}
                  />
                </Form.Item>
              )}
              {scoring && (
                <Form.Item name="decision" label={t("reviews.table.status")}>
                  <Radio.Group
                    options={[
                      { value: "confirm", label: t("reviews.table.confirm") },
                      { value: "adjust", label: t("reviews.table.adjust") },
                    ]}
                  />
                </Form.Item>
              )}
              {scoring && decision === "adjust" && (
                <Form.Item
                  name="points"
                  label={t("reviews.adjust.points", { max: formatPoints(indicator.maxPoints, language) })}
                  required
                >
                  <Input inputMode="decimal" style={{ maxWidth: 200 }} />
                </Form.Item>
              )}
              <Form.Item
                name="reason"
                label={t("reviews.adjust.reason")}
                required={decision === "adjust" || (claimedNa && naAccepted === false)}
              >
                <Input.TextArea rows={3} maxLength={2000} showCount />
              </Form.Item>
            </Form>
          </>
        )}
        {!reviewable && entry.reviewReason && (
          <Alert type="info" message={`${t("reviews.adjust.reason")}: ${entry.reviewReason}`} />
        )}
      </Space>
    </Modal>
  );
}
