// An indicator's scoring method and its parameters: ratio target and floor, tiers, deduction
// clauses, and where its input comes from.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Input, Row, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AccidentClass, AccidentMeasure, ClauseScope, ScoringMethod } from "../../gql/graphql";
import { Field, domId, useEditor } from "./Field";
import {
  ACCIDENT_CLASSES,
  ACCIDENT_MEASURES,
  ACCIDENT_SOURCE,
  blankClause,
  CLAUSE_KINDS,
  CLAUSE_SCOPES,
  EXTRA_SCOPES,
  type ClauseDraft,
  type ItemNode,
  LEDGER_METHODS,
  METHODS,
  SOURCES,
  type TierDraft,
} from "./model";

type Props = { node: ItemNode; path: string; disabled: boolean; onChange: (patch: Partial<ItemNode>) => void };

export function MethodFields({ node, path, disabled, onChange }: Props) {
  const { t } = useTranslation();
  const { problems } = useEditor();
  const method = node.method;
  const setTier = (i: number, patch: Partial<TierDraft>) =>
    onChange({ tiers: node.tiers.map((tier, j) => (j === i ? { ...tier, ...patch } : tier)) });
  const setClause = (i: number, patch: Partial<ClauseDraft>) =>
    onChange({ clauses: node.clauses.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const input = (p: string, label: string, value: string, set: (v: string) => void, decimal = true, placeholder?: string) => (
    <Field path={p} id={domId(p)} label={label}>
      <Input
        id={domId(p)}
        inputMode={decimal ? "decimal" : undefined}
        disabled={disabled}
        value={value}
        placeholder={placeholder}
        onChange={(e) => set(e.target.value)}
      />
    </Field>
  );
  const fedByAccidents = node.source === ACCIDENT_SOURCE;

  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Field path={`${path}.method`} id={domId(`${path}.method`)} label={t("templates.editor.method")}>
            <Select<ScoringMethod>
              id={domId(`${path}.method`)}
              disabled={disabled}
              value={method ?? undefined}
              onChange={(value) =>
                onChange({
                  method: value,
                  source: LEDGER_METHODS.includes(value) ? node.source : "self",
                  clauses: value === "DEDUCTION" && node.clauses.length === 0 ? [blankClause("a", "PER_OCCURRENCE")] : node.clauses,
                  tiers: value === "TIERS" && node.tiers.length === 0 ? [{ minValue: "", points: node.maxPoints }] : node.tiers,
                })
              }
              options={METHODS.map((m) => ({ value: m, label: t(`templates.methods.${m}`) }))}
            />
          </Field>
        </Col>
        {method && LEDGER_METHODS.includes(method) && (
          <Col xs={24} md={12}>
            <Field path={`${path}.source`} id={domId(`${path}.source`)} label={t("templates.editor.source")} extra={t("templates.editor.sourceHelp")}>
              <Select
                id={domId(`${path}.source`)}
                disabled={disabled}
                value={node.source}
                onChange={(source: string) => onChange({ source })}
                options={SOURCES.map((s) => ({ value: s, label: t(`templates.sources.${s}`) }))}
              />
            </Field>
          </Col>
        )}
      </Row>
      {method === "RATIO" && (
        <Row gutter={12}>
          <Col xs={12}>{input(`${path}.target`, t("templates.editor.target"), node.target, (target) => onChange({ target }))}</Col>
          <Col xs={12}>{input(`${path}.floor`, t("templates.editor.floor"), node.floor, (floor) => onChange({ floor }))}</Col>
        </Row>
      )}
      {method === "TIERS" && (
        <Card size="small" type="inner" title={t("templates.editor.tiers")} style={{ marginBottom: 16 }}>
          <Typography.Text type="danger">{(problems.get(`${path}.tiers`) ?? []).join(" · ")}</Typography.Text>
          {node.tiers.map((tier, i) => (
            <Row key={i} gutter={12} align="bottom">
              <Col flex="auto">
                {input(`${path}.tiers[${i}].minValue`, `${t("templates.editor.row", { n: i + 1 })} ${t("templates.editor.tierMin")}`, tier.minValue, (minValue) => setTier(i, { minValue }))}
              </Col>
              <Col flex="auto">
                {input(`${path}.tiers[${i}].points`, t("templates.editor.tierPoints"), tier.points, (points) => setTier(i, { points }))}
              </Col>
              <Col>
                <Button
                  aria-label={`${t("templates.editor.removeRow")} ${i + 1}`}
                  icon={<DeleteOutlined />}
                  disabled={disabled}
                  style={{ marginBottom: 24 }}
                  onClick={() => onChange({ tiers: node.tiers.filter((_, j) => j !== i) })}
                />
              </Col>
            </Row>
          ))}
          {!disabled && (
            <Button icon={<PlusOutlined />} onClick={() => onChange({ tiers: [...node.tiers, { minValue: "", points: "" }] })}>
              {t("templates.editor.addTier")}
            </Button>
          )}
        </Card>
      )}
      {method === "DEDUCTION" && (
        <Card size="small" type="inner" title={t("templates.editor.clauses")} style={{ marginBottom: 16 }}>
          <Typography.Text type="danger">{(problems.get(`${path}.clauses`) ?? []).join(" · ")}</Typography.Text>
          {node.clauses.map((clause, i) => {
            const p = `${path}.clauses[${i}]`;
            return (
              <div key={i} style={{ borderBottom: "1px solid #f0f0f0", marginBottom: 12 }}>
                <Row gutter={12} align="bottom">
                  <Col xs={12} md={4}>
                    {input(`${p}.key`, `${t("templates.editor.row", { n: i + 1 })} ${t("templates.editor.clauseKey")}`, clause.key, (key) => setClause(i, { key }), false)}
                  </Col>
                  <Col xs={12} md={6}>
                    <Field path={`${p}.kind`} id={domId(`${p}.kind`)} label={t("templates.editor.clauseKind")}>
                      <Select
                        id={domId(`${p}.kind`)}
                        disabled={disabled}
                        value={clause.kind}
                        onChange={(kind: ClauseDraft["kind"]) =>
                          setClause(i, {
                            kind,
                            points: kind === "ZERO" ? "0" : clause.points,
                            scope: kind !== "EXTRA" ? "ITEM" : clause.scope === "ITEM" ? "CATEGORY" : clause.scope,
                          })
                        }
                        options={CLAUSE_KINDS.map((k) => ({ value: k, label: t(`templates.clauseKinds.${k}`) }))}
                      />
                    </Field>
                  </Col>
                  <Col xs={12} md={4}>
                    {clause.kind !== "ZERO" &&
                      input(`${p}.points`, t("templates.editor.clausePoints"), clause.points, (points) => setClause(i, { points }))}
                  </Col>
                  <Col xs={12} md={4}>
                    {clause.kind === "CASCADE" &&
                      input(`${p}.threshold`, t("templates.editor.clauseThreshold"), clause.threshold, (threshold) => setClause(i, { threshold }))}
                  </Col>
                  <Col xs={20} md={5}>
                    {input(`${p}.fact`, t("templates.editor.clauseFact"), clause.fact, (fact) => setClause(i, { fact }), false)}
                  </Col>
                  <Col xs={4} md={1}>
                    <Button
                      aria-label={`${t("templates.editor.removeRow")} ${i + 1}`}
                      icon={<DeleteOutlined />}
                      disabled={disabled}
                      style={{ marginBottom: 24 }}
                      onClick={() => onChange({ clauses: node.clauses.filter((_, j) => j !== i) })}
                    />
                  </Col>
                </Row>
                {(clause.kind === "EXTRA" || clause.kind === "PER_OCCURRENCE" || fedByAccidents || clause.fact.trim() !== "") && (
                  <Row gutter={12}>
                    {clause.kind === "PER_OCCURRENCE" && (
                      <>
                        <Col xs={12} md={4}>
                          {input(`${p}.cap`, t("templates.editor.clauseCap"), clause.cap, (cap) => setClause(i, { cap }), true, t("templates.editor.clauseCapNone"))}
                        </Col>
                        <Col xs={12} md={4}>
                          {input(
                            `${p}.repeatFactor`,
                            t("templates.editor.clauseRepeatFactor"),
                            clause.repeatFactor,
                            (repeatFactor) => setClause(i, { repeatFactor }),
                            true,
                            t("templates.editor.clauseRepeatFactorNone"),
                          )}
                        </Col>
                      </>
                    )}
                    {fedByAccidents && (
                      <>
                        <Col xs={12} md={6}>
                          <Field path={`${p}.accidentMeasure`} id={domId(`${p}.accidentMeasure`)} label={t("templates.editor.clauseAccidentMeasure")}>
                            <Select<AccidentMeasure>
                              id={domId(`${p}.accidentMeasure`)}
                              disabled={disabled}
                              allowClear
                              placeholder={t("templates.editor.clauseAccidentMeasureDefault")}
                              value={clause.accidentMeasure ?? undefined}
                              onChange={(accidentMeasure) => setClause(i, { accidentMeasure: accidentMeasure ?? null })}
                              options={ACCIDENT_MEASURES.map((m) => ({ value: m, label: t(`templates.accidentMeasures.${m}`) }))}
                            />
                          </Field>
                        </Col>
                        <Col xs={12} md={6}>
                          <Field path={`${p}.accidentClass`} id={domId(`${p}.accidentClass`)} label={t("templates.editor.clauseAccidentClass")}>
                            <Select<AccidentClass>
                              id={domId(`${p}.accidentClass`)}
                              disabled={disabled}
                              allowClear
                              placeholder={t("templates.editor.clauseAccidentClassAll")}
                              value={clause.accidentClass ?? undefined}
                              onChange={(accidentClass) => setClause(i, { accidentClass: accidentClass ?? null })}
                              options={ACCIDENT_CLASSES.map((c) => ({ value: c, label: t(`ledgers.classes.${c}`) }))}
                            />
                          </Field>
                        </Col>
                      </>
                    )}
                    {clause.kind === "EXTRA" && (
                      <Col xs={12} md={6}>
                        <Field path={`${p}.scope`} id={domId(`${p}.scope`)} label={t("templates.editor.clauseScope")}>
                          <Select<ClauseScope>
                            id={domId(`${p}.scope`)}
                            disabled={disabled}
                            value={clause.scope}
                            onChange={(scope) => setClause(i, { scope })}
                            options={EXTRA_SCOPES.map((s) => ({ value: s, label: t(`templates.clauseScopes.${s}`) }))}
                          />
                        </Field>
                      </Col>
                    )}
                    {clause.fact.trim() !== "" && (
                      <Col xs={12} md={6}>
                        <Field path={`${p}.factScope`} id={domId(`${p}.factScope`)} label={t("templates.editor.clauseFactScope")}>
                          <Select<ClauseScope>
                            id={domId(`${p}.factScope`)}
                            disabled={disabled}
                            value={clause.factScope}
                            onChange={(factScope) => setClause(i, { factScope })}
                            options={CLAUSE_SCOPES.map((s) => ({ value: s, label: t(`templates.clauseScopes.${s}`) }))}
                          />
                        </Field>
                      </Col>
                    )}
                  </Row>
                )}
                {input(`${p}.text`, t("templates.editor.clauseText"), clause.text, (text) => setClause(i, { text }), false)}
              </div>
            );
          })}
          {!disabled && (
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                onChange({
                  clauses: [
                    ...node.clauses,
                    blankClause(String.fromCharCode(97 + node.clauses.length), "FIXED"),
                  ],
                })
              }
            >
              {t("templates.editor.addClause")}
            </Button>
          )}
        </Card>
      )}
    </>
  );
}
