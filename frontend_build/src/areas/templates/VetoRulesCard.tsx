// The template's one-ticket veto rules: code, title, text and what fires them.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Input, Row, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Field, domId, useEditor } from "./Field";
import { VETO_KINDS, type VetoDraft } from "./model";

type Props = { rules: VetoDraft[]; locked: boolean; onChange: (rules: VetoDraft[]) => void };

export function VetoRulesCard({ rules, locked, onChange }: Props) {
  const { t } = useTranslation();
  const { readOnly, problems } = useEditor();
  const disabled = readOnly || locked;
  const set = (i: number, patch: Partial<VetoDraft>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const input = (i: number, field: "code" | "title" | "text", label: string) => {
    const p = `content.vetoRules[${i}].${field}`;
    return (
      <Field path={p} id={domId(p)} label={label}>
        <Input id={domId(p)} disabled={disabled} value={rules[i][field]} onChange={(e) => set(i, { [field]: e.target.value })} />
      </Field>
    );
  };
  return (
    <Card
      size="small"
      title={t("templates.editor.vetoRules")}
      extra={
        !disabled && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => onChange([...rules, { code: `V${rules.length + 1}`, title: "", text: "", kind: "MANUAL" }])}
          >
            {t("templates.editor.addVeto")}
          </Button>
        )
      }
    >
      <Typography.Text type="danger">{(problems.get("content.vetoRules") ?? []).join(" · ")}</Typography.Text>
      {rules.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("templates.editor.noVeto")} />}
      {rules.map((rule, i) => (
        <Row key={i} gutter={12} align="bottom">
          <Col xs={8} md={3}>{input(i, "code", `${t("templates.editor.row", { n: i + 1 })} ${t("templates.editor.vetoCode")}`)}</Col>
          <Col xs={16} md={7}>{input(i, "title", t("templates.editor.vetoTitle"))}</Col>
          <Col xs={24} md={7}>{input(i, "text", t("templates.editor.vetoText"))}</Col>
          <Col xs={20} md={6}>
            <Field path={`content.vetoRules[${i}].kind`} id={domId(`content.vetoRules[${i}].kind`)} label={t("templates.editor.vetoKind")}>
              <Select
                id={domId(`content.vetoRules[${i}].kind`)}
                disabled={disabled}
                value={rule.kind}
                onChange={(kind: VetoDraft["kind"]) => set(i, { kind })}
                options={VETO_KINDS.map((k) => ({ value: k, label: t(`templates.vetoKinds.${k}`) }))}
              />
            </Field>
          </Col>
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
