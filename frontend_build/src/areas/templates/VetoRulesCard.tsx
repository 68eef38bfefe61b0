// The template's rules of consequence: one-ticket vetoes and yellow cards (黄牌警告), each with
// its code, title, text, what fires it and, for deaths or overdue tasks, the number it fires at.
import { DeleteOutlined, PlusOutlined, WarningOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Input, InputNumber, Row, Select, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RuleSeverity, VetoKind } from "../../gql/graphql";
import { Field, domId, useEditor } from "./Field";
import { RULE_SEVERITIES, THRESHOLD_KINDS, VETO_KINDS, blankRule, withKind, type VetoDraft } from "./model";

type Props = { rules: VetoDraft[]; locked: boolean; onChange: (rules: VetoDraft[]) => void };

export function VetoRulesCard({ rules, locked, onChange }: Props) {
  const { t } = useTranslation();
  const { readOnly, problems } = useEditor();
  const disabled = readOnly || locked;
  const set = (i: number, rule: VetoDraft) => onChange(rules.map((r, j) => (j === i ? rule : r)));
  const path = (i: number, field: string) => `content.vetoRules[${i}].${field}`;
  const input = (i: number, field: "code" | "title" | "text", label: string) => {
    const p = path(i, field);
    return (
      <Field path={p} id={domId(p)} label={label}>
        <Input id={domId(p)} disabled={disabled} value={rules[i][field]} onChange={(e) => set(i, { ...rules[i], [field]: e.target.value })} />
      </Field>
    );
  };
  const add = (severity: RuleSeverity) => onChange([...rules, blankRule(rules, severity)]);
  return (
    <Card
      size="small"
      title={t("templates.editor.vetoRules")}
      extra={
        !disabled && (
          <Space>
            <Button size="small" icon={<PlusOutlined />} onClick={() => add("VETO")}>
              {t("templates.editor.addVeto")}
            </Button>
            <Button size="small" icon={<WarningOutlined />} onClick={() => add("YELLOW_CARD")}>
              {t("templates.editor.addYellowCard")}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t("templates.editor.rulesHelp")}</Typography.Paragraph>
      <Typography.Text type="danger">{(problems.get("content.vetoRules") ?? []).join(" · ")}</Typography.Text>
      {rules.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("templates.editor.noVeto")} />}
      {rules.map((rule, i) => (
        <Row key={i} gutter={12} align="bottom">
          <Col xs={8} md={2}>{input(i, "code", `${t("templates.editor.row", { n: i + 1 })} ${t("templates.editor.vetoCode")}`)}</Col>
          <Col xs={16} md={3}>
            <Field path={path(i, "severity")} id={domId(path(i, "severity"))} label={t("templates.editor.severity")}>
              <Select
                id={domId(path(i, "severity"))}
                disabled={disabled}
                value={rule.severity}
                onChange={(severity: RuleSeverity) => set(i, { ...rule, severity })}
                options={RULE_SEVERITIES.map((s) => ({
                  value: s,
                  label: s === "YELLOW_CARD" ? <Tag color="gold">{t(`templates.severities.${s}`)}</Tag> : <Tag color="red">{t(`templates.severities.${s}`)}</Tag>,
                }))}
              />
            </Field>
          </Col>
          <Col xs={24} md={6}>{input(i, "title", t("templates.editor.vetoTitle"))}</Col>
          <Col xs={24} md={5}>{input(i, "text", t("templates.editor.vetoText"))}</Col>
          <Col xs={THRESHOLD_KINDS.has(rule.kind) ? 12 : 20} md={THRESHOLD_KINDS.has(rule.kind) ? 4 : 7}>
            <Field path={path(i, "kind")} id={domId(path(i, "kind"))} label={t("templates.editor.vetoKind")}>
              <Select
                id={domId(path(i, "kind"))}
                disabled={disabled}
                value={rule.kind}
                onChange={(kind: VetoKind) => set(i, withKind(rule, kind))}
                options={VETO_KINDS.map((k) => ({ value: k, label: t(`templates.vetoKinds.${k}`) }))}
              />
            </Field>
          </Col>
          {THRESHOLD_KINDS.has(rule.kind) && (
            <Col xs={8} md={3}>
              <Field path={path(i, "threshold")} id={domId(path(i, "threshold"))} label={t(`templates.editor.threshold.${rule.kind}`)}>
                <InputNumber
                  id={domId(path(i, "threshold"))}
                  disabled={disabled}
                  min={1}
                  precision={0}
                  style={{ width: "100%" }}
                  value={rule.threshold}
                  onChange={(threshold) => set(i, { ...rule, threshold: threshold ?? null })}
                />
              </Field>
            </Col>
          )}
          <Col xs={4} md={1}>
            {!disabled && (
              <Button
                aria-label={`${t("templates.editor.removeRow")} ${i + 1}`}
                icon={<DeleteOutlined />}
                style={{ marginBottom: 24 }}
                onClick={() => onChange(rules.filter((_, j) => j !== i))}
              />
            )}
          </Col>
        </Row>
      ))}
    </Card>
  );
}
