// One-ticket vetoes and yellow cards (黄牌警告): those raised (withdrawn ones on record), those
// the ledgers or the previous cycle fire now, and the dialogs raising one by a manual rule or
// withdrawing one, each with its reason.
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography, message } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { formatDate } from "../../format";
import { ReviewsRaiseVetoDocument, ReviewsWithdrawVetoDocument, type RuleSeverity } from "../../gql/graphql";
import type { AssessmentNode } from "./logic";
import { OutcomeAlert, useOutcome } from "./outcome";
import { ReasonModal } from "./ReasonModal";

type Flag = AssessmentNode["vetoes"][number];
type Firing = AssessmentNode["ledgerVetoes"][number];

/** A rule's consequence as a tag: red for a veto, gold for a yellow card. */
function SeverityTag({ severity }: { severity: RuleSeverity }) {
  const { t } = useTranslation();
  return <Tag color={severity === "YELLOW_CARD" ? "gold" : "red"}>{t(`templates.severities.${severity}`)}</Tag>;
}

export function Vetoes({
  assessment,
  canAct,
  onReload,
}: {
  assessment: AssessmentNode;
  canAct: boolean;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [raising, setRaising] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Flag | null>(null);
  const withdraw = useGqlMutation(ReviewsWithdrawVetoDocument);
  const rules = new Map(assessment.cycle.template.vetoRules.map((r) => [r.code, r.title]));
  const fired = (severity: RuleSeverity) => assessment.ledgerVetoes.filter((v) => v.severity === severity);
  const firings = (list: Firing[]) => (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {list.map((v, i) => (
        <li key={i}>
          {v.ruleCode} {rules.get(v.ruleCode)}: {v.reason}
          {v.evidence ? ` (${v.evidence})` : ""}
        </li>
      ))}
    </ul>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {canAct && (
        <Button danger onClick={() => setRaising(true)}>
          {t("reviews.veto.raise")}
        </Button>
      )}
      {fired("VETO").length > 0 && (
        <Alert type="error" showIcon message={t("reviews.veto.ledger")} description={firings(fired("VETO"))} />
      )}
      {fired("YELLOW_CARD").length > 0 && (
        <Alert type="warning" showIcon message={t("reviews.veto.ledgerYellow")} description={firings(fired("YELLOW_CARD"))} />
      )}
      <Table<Flag>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={assessment.vetoes}
        locale={{ emptyText: t("reviews.veto.empty") }}
        columns={[
          {
            title: t("reviews.veto.rule"),
            key: "rule",
            render: (_, f) => (
              <Space size={4} wrap>
                <SeverityTag severity={f.rule.severity} />
                {`${f.rule.code} ${f.rule.title}`}
              </Space>
            ),
          },
          {
            title: t("reviews.veto.reason"),
            key: "reason",
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                {f.reason}
                {f.evidence && <Typography.Text type="secondary">{f.evidence}</Typography.Text>}
                {f.fact && <Typography.Text type="secondary">{t("reviews.veto.ledgerFact", { fact: f.fact })}</Typography.Text>}
              </Space>
            ),
          },
          { title: t("reviews.veto.raisedAt"), dataIndex: "raisedAt", render: (v: string) => formatDate(v, i18n.language) },
          { title: t("reviews.veto.raisedBy"), key: "by", render: (_, f) => f.raisedBy?.displayName ?? "—" },
          {
            title: t("common.state"),
            key: "state",
            render: (_, f) =>
              f.withdrawn ? (
                <Tag>{t("reviews.veto.withdrawn", { reason: f.withdrawnReason ?? "" })}</Tag>
              ) : (
                <Tag color={f.rule.severity === "YELLOW_CARD" ? "gold" : "red"}>{t("reviews.veto.active")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, f) =>
              canAct && !f.withdrawn ? (
                <Button size="small" onClick={() => setWithdrawing(f)}>
                  {t("reviews.veto.withdraw")}
                </Button>
              ) : null,
          },
        ]}
      />
      {raising && <RaiseModal assessment={assessment} onClose={() => setRaising(false)} onReload={onReload} />}
      <ReasonModal
        open={withdrawing !== null}
        title={t("reviews.veto.withdrawTitle", { code: withdrawing?.rule.code ?? "" })}
        label={t("reviews.veto.withdrawReason")}
        okText={t("reviews.veto.withdraw")}
        submit={(reason) =>
          withdraw
            .mutateAsync({ input: { vetoFlagId: withdrawing!.id, reason } })
            .then((d) => d.withdrawVeto)
        }
        onDone={() => {
          setWithdrawing(null);
          void message.success(t("reviews.veto.withdrawnDone"));
        }}
        onCancel={() => setWithdrawing(null)}
        onReload={onReload}
      />
    </Space>
  );
}

function RaiseModal({
  assessment,
  onClose,
  onReload,
}: {
  assessment: AssessmentNode;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ ruleCode?: string; reason?: string; evidence?: string }>();
  const raise = useGqlMutation(ReviewsRaiseVetoDocument);
  const { outcome, run } = useOutcome();
  const manual = assessment.cycle.template.vetoRules.filter((r) => r.kind === "MANUAL");
  const chosen = Form.useWatch("ruleCode", form) as string | undefined;
  const yellow = manual.find((r) => r.code === chosen)?.severity === "YELLOW_CARD";

  async function save() {
    const v = form.getFieldsValue(true) as { ruleCode?: string; reason?: string; evidence?: string };
    const saved = await run(
      raise
        .mutateAsync({
          input: {
            assessmentId: assessment.id,
            ruleCode: v.ruleCode ?? "",
            reason: v.reason ?? "",
            evidence: v.evidence ?? "",
          },
        })
        .then((d) => d.raiseVeto),
      form,
    );
    if (saved) {
      void message.success(t("reviews.veto.raised"));
      onClose();
    }
  }

  return (
    <Modal
      open
      title={t("reviews.veto.title")}
      okText={t("reviews.veto.raise")}
      cancelText={t("common.cancel")}
      okButtonProps={{ danger: true, loading: raise.isPending, disabled: raise.isPending || manual.length === 0 }}
      onOk={save}
      onCancel={onClose}
    >
      <OutcomeAlert outcome={outcome} onReload={onReload} />
      {manual.length === 0 && <Alert type="info" message={t("reviews.veto.noManualRules")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ ruleCode: manual[0]?.code }}>
        <Form.Item name="ruleCode" label={t("reviews.veto.rule")} required>
          <Select
            options={manual.map((r) => ({
              value: r.code,
              label: `${t(`templates.severities.${r.severity}`)} · ${r.code} ${r.title}`,
            }))}
          />
        </Form.Item>
        {yellow && <Alert type="warning" showIcon message={t("reviews.veto.yellowHint")} style={{ marginBottom: 12 }} />}
        <Form.Item name="reason" label={t("reviews.veto.reason")} required>
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="evidence" label={t("reviews.veto.evidence")}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
