// One indicator of the form: its requirement and criteria, the one input its method takes (or the
// ledger figure it reads), not-applicable with a reason, a note, its evidence and how its points were scored.
import { Card, Checkbox, Col, Collapse, Descriptions, Form, Input, InputNumber, Radio, Row, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { RequirementText } from "../../components/RequirementText";
import { formatDate, formatPoints } from "../../format";
import { AppealButton } from "./Appeals";
import { type Entry, selfEntered } from "./entries";
import { EvidenceList } from "./EvidenceList";
import { ExplanationLines } from "./ExplanationLines";

type Props = { index: number; entry: Entry; editable: boolean; assessmentId: string; showReview: boolean };

export function IndicatorCard({ index, entry, editable, assessmentId, showReview }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const indicator = entry.indicator;
  const name = (field: string) => ["entries", index, field];
  const max = Number(indicator.maxPoints);
  const score = entry.selfScore;
  const title = `${indicator.code} ${indicator.title}`;

  return (
    <section aria-label={title} style={{ marginBottom: 12 }}>
      <Card
        size="small"
        title={<span style={{ whiteSpace: "normal" }}>{title}</span>}
        extra={
          <Space size={4} wrap>
            <Tag>{t(`assessments.methods.${indicator.method}`)}</Tag>
            <Tag>{t("assessments.maxPoints", { points: formatPoints(indicator.maxPoints, language) })}</Tag>
            {!indicator.required && <Tag>{t("assessments.optional")}</Tag>}
            {score?.missing && <Tag color="orange">{t("assessments.missing")}</Tag>}
            <Tag color="red">{t("assessments.selfPoints", { points: formatPoints(score?.points, language) })}</Tag>
            {showReview && entry.reviewedScore && (
              <Tag color={entry.reviewedScore.adjusted ? "purple" : "green"}>
                {t("assessments.reviewedPoints", { points: formatPoints(entry.reviewedScore.points, language) })}
              </Tag>
            )}
            {showReview && <AppealButton itemCode={indicator.code} title={indicator.title} />}
          </Space>
        }
      >
        <RequirementText text={indicator.requirement} label={t("assessments.requirement")} />
        {indicator.criteria && (
          <Typography.Paragraph type="secondary">
            {indicator.requirement.trim() && <Tag variant="filled">{t("assessments.criteria")}</Tag>}
            {indicator.criteria}
          </Typography.Paragraph>
        )}
        <Row gutter={24}>
          <Col xs={24} lg={14}>
        {selfEntered(indicator) ? <MethodInput index={index} entry={entry} editable={editable} max={max} /> : <LedgerFigure entry={entry} />}
        <Form.Item name={name("notApplicable")} valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox disabled={!editable}>{t("assessments.notApplicable")}</Checkbox>
        </Form.Item>
        <Form.Item noStyle dependencies={[name("notApplicable")]}>
          {({ getFieldValue }) =>
            getFieldValue(name("notApplicable")) ? (
              <Form.Item
                label={t("assessments.notApplicableReason")}
                name={name("notApplicableReason")}
                rules={[{ required: true, whitespace: true, message: t("assessments.reasonRequired") }]}
              >
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} readOnly={!editable} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        {entry.notApplicableConfirmed !== null && entry.notApplicable && (
          <Tag color={entry.notApplicableConfirmed ? "green" : "red"} style={{ marginBottom: 8 }}>
            {t(entry.notApplicableConfirmed ? "assessments.notApplicableConfirmed" : "assessments.notApplicableRejected")}
          </Tag>
        )}
        <Form.Item label={t("assessments.note")} name={name("note")}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} readOnly={!editable} />
        </Form.Item>
        {showReview && entry.reviewReason && (
          <Typography.Paragraph type="warning">{t("assessments.reviewReason", { reason: entry.reviewReason })}</Typography.Paragraph>
        )}
          </Col>
          <Col xs={24} lg={10}>
        <EvidenceList assessmentId={assessmentId} entry={entry} editable={editable} />
        {score && score.explanation.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text strong>{t("assessments.explain")}</Typography.Text>
            <ExplanationLines lines={score.explanation} />
          </div>
        )}
          </Col>
        </Row>
      </Card>
    </section>
  );
}

function MethodInput({ index, entry, editable, max }: { index: number; entry: Entry; editable: boolean; max: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const indicator = entry.indicator;
  const name = (field: string) => ["entries", index, field];
  switch (indicator.method) {
    case "MANUAL":
    case "BONUS":
      return (
        <Form.Item
          label={t("assessments.pointsLabel", { max: formatPoints(indicator.maxPoints, language) })}
          name={name("points")}
          validateTrigger={["onChange", "onBlur"]}
          rules={[
            {
              validator: (_, value: string | null) =>
                value === null || value === undefined || value === "" || (Number(value) >= 0 && Number(value) <= max)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("assessments.rangeError", { max: formatPoints(max, language) }))),
            },
          ]}
        >
          <InputNumber stringMode style={{ width: 160 }} disabled={!editable} />
        </Form.Item>
      );
    case "RATIO":
    case "TIERS":
      return (
        <>
          <MethodRules entry={entry} />
          <Form.Item
            label={t("assessments.valueLabel")}
            name={name("value")}
            rules={[
              {
                validator: (_, value: string | null) =>
                  value === null || value === undefined || value === "" || Number(value) >= 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("assessments.notNegative"))),
              },
            ]}
          >
            <InputNumber stringMode style={{ width: 160 }} disabled={!editable} />
          </Form.Item>
        </>
      );
    case "BOOLEAN":
      return (
        <Form.Item label={t("assessments.doneLabel")} name={name("done")}>
          <Radio.Group disabled={!editable}>
            <Radio value={true}>{t("common.yes")}</Radio>
            <Radio value={false}>{t("common.no")}</Radio>
          </Radio.Group>
        </Form.Item>
      );
    case "DEDUCTION":
      return (
        <div style={{ marginBottom: 8 }}>
          {indicator.clauses.map((clause) => (
            <Form.Item
              key={clause.key}
              label={
                <span>
                  {clause.key}. {clause.text}{" "}
                  <Tag>
                    {t(`assessments.clauseKinds.${clause.kind}`, {
                      points: formatPoints(clause.points, language),
                      threshold: formatPoints(clause.threshold, language),
                    })}
                  </Tag>
                </span>
              }
              name={["entries", index, "counts", clause.key]}
              style={{ marginBottom: 8 }}
            >
              {clause.kind === "JUDGEMENT" ? (
                // A judgement's count is the whole points the assessor deducts, up to the clause's.
                <InputNumber
                  min={0}
                  max={Math.floor(Number(clause.points))}
                  precision={0}
                  style={{ width: 120 }}
                  disabled={!editable}
                  addonAfter={t("assessments.judgedLabel")}
                />
              ) : (
                <InputNumber min={0} precision={0} style={{ width: 120 }} disabled={!editable} addonAfter={t("assessments.countLabel")} />
              )}
            </Form.Item>
          ))}
        </div>
      );
  }
}

function LedgerFigure({ entry }: { entry: Entry }) {
  const { t, i18n } = useTranslation();
  const figure = entry.ledgerFigure;
  const source = entry.indicator.source;
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text strong>{t("assessments.ledger")}</Typography.Text>
      <MethodRules entry={entry} />
      <Descriptions size="small" column={1} bordered style={{ marginTop: 4 }}>
        <Descriptions.Item label={t("assessments.ledgerSource")}>{t(`assessments.sources.${source}`, { defaultValue: source })}</Descriptions.Item>
        <Descriptions.Item label={t("assessments.ledgerValue")}>{figure ? figure.value : "—"}</Descriptions.Item>
        {figure && <Descriptions.Item label={t("assessments.ledgerBasis")}>{figure.basis}</Descriptions.Item>}
        {figure && (
          <Descriptions.Item label={t("assessments.ledgerAsOf")}>
            {formatDate(figure.asOf, i18n.language)} · {t(figure.live ? "assessments.ledgerLive" : "assessments.ledgerKept")}
          </Descriptions.Item>
        )}
      </Descriptions>
      {figure && figure.rows.length > 0 && (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: "rows",
              label: t("assessments.ledgerRows", { count: figure.rows.length }),
              children: (
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {figure.rows.map((row, i) => (
                    <li key={`${row.subject}-${i}`}>{row.label}</li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}

/** What the indicator does with its value: its target, tiers or (ledger-fed) deduction clauses. */
function MethodRules({ entry }: { entry: Entry }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const indicator = entry.indicator;
  if (indicator.method === "TIERS") {
    return (
      <div style={{ margin: "4px 0" }}>
        <Space size={4} wrap>
          {indicator.tiers.map((tier) => (
            <Tag key={tier.minValue}>{t("assessments.tier", { min: tier.minValue, points: formatPoints(tier.points, language) })}</Tag>
          ))}
        </Space>
      </div>
    );
  }
  if (indicator.method === "RATIO" && indicator.target) {
    return (
      <Typography.Paragraph type="secondary" style={{ margin: "4px 0" }}>
        {indicator.floor
          ? t("assessments.valueHint", { target: indicator.target, floor: indicator.floor })
          : t("assessments.targetHint", { target: indicator.target })}
      </Typography.Paragraph>
    );
  }
  if (indicator.method === "DEDUCTION") {
    return (
      <ul style={{ margin: "4px 0", paddingLeft: 20 }}>
        {indicator.clauses.map((clause) => (
          <li key={clause.key}>
            {clause.key}. {clause.text}{" "}
            <Tag>
              {t(`assessments.clauseKinds.${clause.kind}`, {
                points: formatPoints(clause.points, language),
                threshold: formatPoints(clause.threshold, language),
              })}
            </Tag>
          </li>
        ))}
      </ul>
    );
  }
  return null;
}
