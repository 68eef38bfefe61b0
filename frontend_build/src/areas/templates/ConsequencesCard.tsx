// The template's consequence policy (奖惩规则): how many excellent units are commended, what gets
// a unit criticised and its leaders interviewed, and how long a veto bars its leaders from
// commendation and promotion, and for how many years a final result may take a late veto. Read
// only, it shows the policy in one line and the same fields.
import { Card, Checkbox, Col, InputNumber, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { CONSEQUENCE_TRIGGERS, policySentence } from "../../components/consequencePolicy";
import type { ConsequenceTrigger } from "../../gql/graphql";
import { Field, domId, useEditor } from "./Field";
import { type ConsequencesDraft, consequencesShown } from "./model";

type Props = { policy: ConsequencesDraft; onChange: (policy: ConsequencesDraft) => void };

const PATH = "content.consequences";

export function ConsequencesCard({ policy, onChange }: Props) {
  const { t } = useTranslation();
  const { readOnly } = useEditor();
  const options = CONSEQUENCE_TRIGGERS.map((value) => ({ value, label: t(`consequences.triggers.${value}`) }));
  const triggers = (field: "criticiseOn" | "interviewOn") => {
    const path = `${PATH}.${field}`;
    return (
      <Col xs={24} md={12}>
        <Field path={path} id={domId(path)} label={t(`templates.editor.consequences.${field}`)}>
          <div id={domId(path)} role="group" aria-label={t(`templates.editor.consequences.${field}`)}>
            <Checkbox.Group
              disabled={readOnly}
              options={options}
              value={policy[field]}
              onChange={(value) => onChange({ ...policy, [field]: value as ConsequenceTrigger[] })}
            />
          </div>
        </Field>
      </Col>
    );
  };
  return (
    <section aria-label={t("templates.editor.consequences.title")}>
      <Card title={t("templates.editor.consequences.title")} size="small">
        <Typography.Paragraph type="secondary">{t("templates.editor.consequences.help")}</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text strong>{t("templates.editor.consequences.current")}</Typography.Text>
          <span data-testid="consequence-policy">
            {policySentence(consequencesShown(policy), t)}
          </span>
        </Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Field
              path={`${PATH}.commendationQuota`}
              id={domId(`${PATH}.commendationQuota`)}
              label={t("templates.editor.consequences.quota")}
              extra={t("templates.editor.consequences.quotaHelp")}
            >
              <InputNumber
                id={domId(`${PATH}.commendationQuota`)}
                disabled={readOnly}
                precision={0}
                style={{ width: "100%" }}
                placeholder={t("templates.editor.consequences.quotaPlaceholder")}
                value={policy.commendationQuota}
                onChange={(quota) => onChange({ ...policy, commendationQuota: quota ?? null })}
              />
            </Field>
          </Col>
          <Col xs={24} md={12}>
            <Field
              path={`${PATH}.ineligibleMonths`}
              id={domId(`${PATH}.ineligibleMonths`)}
              label={t("templates.editor.consequences.months")}
              extra={t("templates.editor.consequences.monthsHelp")}
            >
              <InputNumber
                id={domId(`${PATH}.ineligibleMonths`)}
                disabled={readOnly}
                precision={0}
                style={{ width: "100%" }}
                value={policy.ineligibleMonths}
                onChange={(months) => onChange({ ...policy, ineligibleMonths: months ?? null })}
              />
            </Field>
          </Col>
          {triggers("criticiseOn")}
          {triggers("interviewOn")}
          <Col xs={24} md={12}>
            <Field
              path={`${PATH}.retroactiveYears`}
              id={domId(`${PATH}.retroactiveYears`)}
              label={t("templates.editor.consequences.years")}
              extra={t("templates.editor.consequences.yearsHelp")}
            >
              <InputNumber
                id={domId(`${PATH}.retroactiveYears`)}
                disabled={readOnly}
                precision={0}
                style={{ width: "100%" }}
                placeholder="0"
                value={policy.retroactiveYears}
                onChange={(years) => onChange({ ...policy, retroactiveYears: years ?? null })}
              />
            </Field>
          </Col>
        </Row>
      </Card>
    </section>
  );
}
