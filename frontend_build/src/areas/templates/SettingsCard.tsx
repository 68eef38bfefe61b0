// The template's settings: title, year, total points, bonus cap, grade thresholds and names,
// composite weight, the language scorecards are explained in.
import { Card, Col, Input, InputNumber, Row, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import { Field, domId, useEditor } from "./Field";
import type { ExplanationLanguage } from "../../gql/graphql";
import { type Draft, GRADE_KEYS } from "./model";
import { categoriesSum, samePoints } from "./tree";

const LANGUAGES: ExplanationLanguage[] = ["ZH", "EN"];

type Props = { draft: Draft; onChange: (patch: Partial<Draft>) => void; locked: boolean };

export function SettingsCard({ draft, onChange, locked }: Props) {
  const { t, i18n } = useTranslation();
  const { readOnly, problems } = useEditor();
  const sum = categoriesSum(draft.items);
  const text = (name: keyof Draft, label: string, span = 8, keep = locked) => {
    const path = `content.${name}`;
    return (
      <Col xs={24} sm={12} md={span}>
        <Field path={path} id={domId(path)} label={t(label)}>
          <Input
            id={domId(path)}
            inputMode="decimal"
            disabled={readOnly || keep}
            value={draft[name] as string}
            onChange={(e) => onChange({ [name]: e.target.value })}
          />
        </Field>
      </Col>
    );
  };
  return (
    <Card title={t("templates.editor.settings")} size="small">
      <Row gutter={12}>
        <Col xs={24} md={16}>
          <Field path="content.title" id={domId("content.title")} label={t("templates.create.templateTitle")}>
            <Input
              id={domId("content.title")}
              disabled={readOnly}
              value={draft.title}
              onChange={(e) => onChange({ title: e.target.value })}
            />
          </Field>
        </Col>
        <Col xs={24} md={8}>
          <Field path="content.year" id={domId("content.year")} label={t("templates.create.year")}>
            <InputNumber
              id={domId("content.year")}
              disabled={readOnly || locked}
              min={2000}
              max={2100}
              precision={0}
              style={{ width: "100%" }}
              value={draft.year}
              onChange={(year) => onChange({ year: year ?? null })}
            />
          </Field>
        </Col>
        <Col xs={24} sm={12} md={8}>
          <Field
            path="content.totalPoints"
            id={domId("content.totalPoints")}
            label={t("templates.create.totalPoints")}
            also={problems.get("content.items") ?? []}
            extra={
              <Typography.Text type={samePoints(sum, draft.totalPoints) ? "secondary" : "warning"}>
                {t("templates.editor.categoriesSum", { sum: formatPoints(sum, i18n.language) })}
              </Typography.Text>
            }
          >
            <Input
              id={domId("content.totalPoints")}
              inputMode="decimal"
              disabled={readOnly || locked}
              value={draft.totalPoints}
              onChange={(e) => onChange({ totalPoints: e.target.value })}
            />
          </Field>
        </Col>
        {text("bonusCap", "templates.create.bonusCap")}
        {text("compositeWeight", "templates.editor.compositeWeight", 8, false)}
        {text("gradeExcellent", "templates.create.gradeExcellent")}
        {text("gradeGood", "templates.create.gradeGood")}
        {text("gradeQualified", "templates.create.gradeQualified")}
        <Col xs={24} sm={12} md={8}>
          <Field path="content.language" id={domId("content.language")} label={t("templates.editor.language")}>
            <Select
              id={domId("content.language")}
              disabled={readOnly}
              value={draft.language}
              onChange={(language) => onChange({ language })}
              options={LANGUAGES.map((value) => ({ value, label: t(`templates.editor.languages.${value}`) }))}
            />
          </Field>
        </Col>
        <Col span={24}>
          <Typography.Text type="secondary">{t("templates.editor.fewerGrades")}</Typography.Text>
        </Col>
        {GRADE_KEYS.map((grade) => {
          const path = `content.gradeNames.${grade}`;
          return (
            <Col xs={12} md={6} key={grade}>
              <Field path={path} id={domId(path)} label={t(`templates.editor.gradeNames.${grade}`)}>
                <Input
                  id={domId(path)}
                  disabled={readOnly || locked}
                  maxLength={20}
                  placeholder={t(`templates.editor.gradeNamePlaceholders.${grade}`)}
                  value={draft.gradeNames[grade]}
                  onChange={(e) => onChange({ gradeNames: { ...draft.gradeNames, [grade]: e.target.value } })}
                />
              </Field>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
