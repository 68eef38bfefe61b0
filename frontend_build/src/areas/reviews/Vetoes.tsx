// One-ticket vetoes and yellow cards (黄牌警告): those raised (withdrawn ones on record), those
// the ledgers or the previous cycle fire now, and the dialogs raising one by a manual rule or
// withdrawing one, each with its reason. On a final result whose template allows it, the office
// that ran the cycle may veto it late (事后追溯否决: a concealed accident come to light), until
// the template's years after the period's end.
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography, message } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { formatDate } from "../../format";
import {
  ReviewsRaiseRetroactiveVetoDocument,
  ReviewsRaiseVetoDocument,
  ReviewsWithdrawVetoDocument,
  type RuleSeverity,
} from "../../gql/graphql";
import { type AssessmentNode, retroactiveUntil, todayInChina } from "./logic";
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
  office,
  onReload,
}: {
  assessment: AssessmentNode;
  canAct: boolean;
  /** The office that ran the cycle (assessor or admin there): a late veto is theirs. */
  office: boolean;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [raising, setRaising] = useState(false);
  const [vetoingLate, setVetoingLate] = useState(false);
  const until = retroactiveUntil(assessment.cycle.periodEnd, assessment.cycle.template.consequences.retroactiveYears);
  const lateVeto = office && assessment.state === "FINAL" && until !== null;
  const expired = until !== null && todayInChina() > until;
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
      {lateVeto && (
        <Space wrap>
          <Button danger disabled={expired} onClick={() => setVetoingLate(true)}>
            {t("reviews.lateVeto.open")}
          </Button>
          <Typography.Text type="secondary">
            {expired
              ? t("reviews.lateVeto.expired", { until: formatDate(until, i18n.language) })
              : t("reviews.lateVeto.until", { until: formatDate(until, i18n.language) })}
          </Typography.Text>
        </Space>
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
      {vetoingLate && until !== null && (
        <LateVetoModal assessment={assessment} until={until} onClose={() => setVetoingLate(false)} onReload={onReload} />
      )}
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

type Rule = AssessmentNode["cycle"]["template"]["vetoRules"][number];
type Said = { ruleCode?: string; reason?: string; evidence?: string };
type VetoInput = { assessmentId: string; ruleCode: string; reason: string; evidence: string };

/** A rule raised by hand with its reason and evidence: the dialog of an ordinary veto or yellow
 * card and of a late veto alike (which rules it offers, what it says above them and which
 * mutation it sends are theirs). */
function VetoDialog({
  assessment,
  rules,
  send,
  pending,
  titles,
  label,
  warning,
  hint,
  onClose,
  onReload,
}: {
  assessment: AssessmentNode;
  rules: Rule[];
  send: (input: VetoInput) => Promise<{ errors: { field?: string | null; message: string; code: string }[] }>;
  pending: boolean;
  titles: { title: string; ok: string; done: string; noRules: string };
  label: (rule: Rule) => string;
  /** Said above everything (what a late veto does). */
  warning?: ReactNode;
  /** Said under the rule chosen (a yellow card takes no points). */
  hint?: (chosen: Rule | undefined) => ReactNode;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Said>();
  const { outcome, run } = useOutcome();
  const chosen = Form.useWatch("ruleCode", form) as string | undefined;

  async function save() {
    const v = form.getFieldsValue(true) as Said;
    const input = {
      assessmentId: assessment.id,
      ruleCode: v.ruleCode ?? "",
      reason: v.reason ?? "",
      evidence: v.evidence ?? "",
    };
    if (await run(send(input), form)) {
      void message.success(titles.done);
      onClose();
    }
  }

  return (
    <Modal
      open
      title={titles.title}
      okText={titles.ok}
      cancelText={t("common.cancel")}
      okButtonProps={{ danger: true, loading: pending, disabled: pending || rules.length === 0 }}
      onOk={save}
      onCancel={onClose}
    >
      {warning}
      <OutcomeAlert outcome={outcome} onReload={onReload} />
      {rules.length === 0 && <Alert type="info" message={titles.noRules} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ ruleCode: rules[0]?.code }}>
        <Form.Item name="ruleCode" label={t("reviews.veto.rule")} required>
          <Select aria-label={t("reviews.veto.rule")} options={rules.map((r) => ({ value: r.code, label: label(r) }))} />
        </Form.Item>
        {hint?.(rules.find((r) => r.code === chosen))}
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
  const raise = useGqlMutation(ReviewsRaiseVetoDocument);
  return (
    <VetoDialog
      assessment={assessment}
      rules={assessment.cycle.template.vetoRules.filter((r) => r.kind === "MANUAL")}
      send={(input) => raise.mutateAsync({ input }).then((d) => d.raiseVeto)}
      pending={raise.isPending}
      titles={{
        title: t("reviews.veto.title"),
        ok: t("reviews.veto.raise"),
        done: t("reviews.veto.raised"),
        noRules: t("reviews.veto.noManualRules"),
      }}
      label={(r) => `${t(`templates.severities.${r.severity}`)} · ${r.code} ${r.title}`}
      hint={(chosen) =>
        chosen?.severity === "YELLOW_CARD" && (
          <Alert type="warning" showIcon message={t("reviews.veto.yellowHint")} style={{ marginBottom: 12 }} />
        )
      }
      onClose={onClose}
      onReload={onReload}
    />
  );
}

/** The late veto (事后追溯否决): a veto rule raised by hand reopens the final result; the
 * warning says what follows (rankings republished, a commendation withdrawn) and until when. */
function LateVetoModal({
  assessment,
  until,
  onClose,
  onReload,
}: {
  assessment: AssessmentNode;
  until: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const raise = useGqlMutation(ReviewsRaiseRetroactiveVetoDocument);
  return (
    <VetoDialog
      assessment={assessment}
      rules={assessment.cycle.template.vetoRules.filter((r) => r.kind === "MANUAL" && r.severity === "VETO")}
      send={(input) => raise.mutateAsync({ input }).then((d) => d.raiseRetroactiveVeto)}
      pending={raise.isPending}
      titles={{
        title: t("reviews.lateVeto.title"),
        ok: t("reviews.lateVeto.submit"),
        done: t("reviews.lateVeto.done"),
        noRules: t("reviews.lateVeto.noRules"),
      }}
      label={(r) => `${r.code} ${r.title}`}
      warning={
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t("reviews.lateVeto.warningTitle")}
          description={t("reviews.lateVeto.warning", {
            until: formatDate(until, i18n.language),
            end: formatDate(assessment.cycle.periodEnd, i18n.language),
            years: assessment.cycle.template.consequences.retroactiveYears,
          })}
        />
      }
      onClose={onClose}
      onReload={onReload}
    />
  );
}
