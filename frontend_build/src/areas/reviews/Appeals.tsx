// The appeals (申诉) of the assessment under review: the deadline, each appeal with its reason,
// points and evidence, and for a waiting one the reviewer's decision — accept with the points
// after it, or reject — always with a reason (the server's refusals beside the fields).
import { Alert, Button, Card, Form, Input, List, Modal, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { formatDate, formatPoints } from "../../format";
import { ReviewsDecideAppealDocument } from "../../gql/graphql";
import { appealColor, appealWindow } from "../assessments/appeals";
import { Evidence } from "./Evidence";
import { type AppealRow, type AssessmentNode, canDecide, type DecideValues, decideAppealInput, decideDefaults, waitingAppeals } from "./logic";
import { OutcomeAlert, useOutcome } from "./outcome";

type Props = {
  assessment: AssessmentNode;
  reviewer: boolean;
  onDecided: (accepted: boolean, code: string) => void;
  onReload: () => void;
};

export function AppealsCard({ assessment, reviewer, onDecided, onReload }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [deciding, setDeciding] = useState<{ appeal: AppealRow; accept: boolean } | null>(null);
  const appeals = assessment.appeals;
  const due = assessment.cycle.appealDue;
  const period = appealWindow(due);
  const titles = new Map(assessment.entries.map((e) => [e.indicator.code, e.indicator]));
  const waiting = waitingAppeals(appeals);

  return (
    <Card
      size="small"
      role="region"
      aria-label={t("reviews.appeals.title")}
      title={
        <Space>
          {t("reviews.appeals.title")}
          {waiting > 0 && <Tag color={appealColor("OPEN")}>{t("reviews.appeals.waiting", { count: waiting })}</Tag>}
        </Space>
      }
      extra={
        <Typography.Text type="secondary">
          {period === "none"
            ? t("reviews.appeals.none")
            : t(period === "open" ? "reviews.appeals.due" : "reviews.appeals.closed", { date: formatDate(due, language) })}
        </Typography.Text>
      }
    >
      <List
        size="small"
        dataSource={[...appeals]}
        locale={{ emptyText: t("reviews.appeals.empty") }}
        renderItem={(appeal) => {
          const indicator = titles.get(appeal.itemCode);
          return (
            <List.Item
              key={appeal.id}
              aria-label={t("reviews.appeals.itemLabel", { code: appeal.itemCode })}
              actions={
                canDecide(reviewer, assessment.state, appeal)
                  ? [
                      <Button key="accept" type="primary" size="small" onClick={() => setDeciding({ appeal, accept: true })}>
                        {t("reviews.appeals.accept")}
                      </Button>,
                      <Button key="reject" danger size="small" onClick={() => setDeciding({ appeal, accept: false })}>
                        {t("reviews.appeals.reject")}
                      </Button>,
                    ]
                  : []
              }
            >
              <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                <Space wrap>
                  <Typography.Text strong>
                    {appeal.itemCode} {indicator?.title ?? ""}
                  </Typography.Text>
                  <Tag color={appealColor(appeal.state)}>{t(`reviews.appeals.states.${appeal.state}`)}</Tag>
                  <Typography.Text>
                    {t(appeal.state === "OPEN" ? "reviews.appeals.pointsWaiting" : "reviews.appeals.points", {
                      before: formatPoints(appeal.pointsBefore, language),
                      after: formatPoints(appeal.state === "ACCEPTED" ? appeal.pointsAfter : appeal.pointsBefore, language),
                      max: formatPoints(indicator?.maxPoints, language),
                    })}
                  </Typography.Text>
                </Space>
                <Typography.Text>{t("reviews.appeals.reasonLine", { reason: appeal.reason })}</Typography.Text>
                <Typography.Text type="secondary">
                  {t("reviews.appeals.filedLine", { who: appeal.filedBy?.displayName ?? "—", when: formatDate(appeal.filedAt, language) })}
                </Typography.Text>
                {appeal.evidence.length > 0 && <Evidence attachments={appeal.evidence} />}
                {appeal.state !== "OPEN" && (
                  <Typography.Text type={appeal.state === "ACCEPTED" ? "success" : "danger"}>
                    {t("reviews.appeals.decidedLine", {
                      who: appeal.decidedBy?.displayName ?? "—",
                      when: formatDate(appeal.decidedAt, language),
                      reason: appeal.decisionReason ?? "",
                    })}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
      {deciding && (
        <DecideModal
          key={`${deciding.appeal.id}-${deciding.accept}`}
          appeal={deciding.appeal}
          accept={deciding.accept}
          title={titles.get(deciding.appeal.itemCode)?.title ?? ""}
          maxPoints={titles.get(deciding.appeal.itemCode)?.maxPoints ?? null}
          onClose={() => setDeciding(null)}
          onDone={() => {
            const { appeal, accept } = deciding;
            setDeciding(null);
            onDecided(accept, appeal.itemCode);
          }}
          onReload={onReload}
        />
      )}
    </Card>
  );
}

type ModalProps = {
  appeal: AppealRow;
  accept: boolean;
  title: string;
  maxPoints: string | null;
  onClose: () => void;
  onDone: () => void;
  onReload: () => void;
};

function DecideModal({ appeal, accept, title, maxPoints, onClose, onDone, onReload }: ModalProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [form] = Form.useForm<DecideValues>();
  const decide = useGqlMutation(ReviewsDecideAppealDocument);
  const { outcome, run, clear } = useOutcome();
  const [pending, setPending] = useState(false);

  async function save() {
    const values = form.getFieldsValue(true) as DecideValues;
    setPending(true);
    const saved = await run(
      decide.mutateAsync({ input: decideAppealInput(appeal.id, accept, values) }).then((d) => d.decideAppeal),
      form,
    );
    setPending(false);
    if (saved) {
      clear();
      onDone();
    }
  }

  return (
    <Modal
      open
      title={t(accept ? "reviews.appeals.acceptTitle" : "reviews.appeals.rejectTitle", { code: appeal.itemCode, title })}
      okText={t(accept ? "reviews.appeals.accept" : "reviews.appeals.reject")}
      cancelText={t("common.cancel")}
      okButtonProps={{ danger: !accept, loading: pending, disabled: pending }}
      onOk={save}
      onCancel={() => {
        clear();
        onClose();
      }}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Alert type="info" title={t("reviews.appeals.reasonLine", { reason: appeal.reason })} />
        <OutcomeAlert outcome={outcome} onReload={onReload} />
        <Form form={form} layout="vertical" initialValues={decideDefaults(appeal, accept)} preserve>
          {accept && (
            <Form.Item
              name="points"
              label={t("reviews.appeals.pointsLabel", { max: formatPoints(maxPoints, language) })}
              extra={t("reviews.appeals.pointsHelp", { before: formatPoints(appeal.pointsBefore, language) })}
              required
            >
              <Input inputMode="decimal" style={{ maxWidth: 200 }} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t("reviews.appeals.decisionReason")} required>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}
