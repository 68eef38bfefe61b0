// The template's colour bands (for every level and per level) and the least changes of score and
// rank that earn a trend arrow on the leaders' dashboard.
import { Card, Col, Input, InputNumber, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { BandsFields } from "./BandsFields";
import { Field, domId, useEditor } from "./Field";
import { type Draft, gradeBands } from "./model";

type Props = { draft: Draft; onChange: (patch: Partial<Draft>) => void };

export function BandsCard({ draft, onChange }: Props) {
  const { t } = useTranslation();
  const { readOnly } = useEditor();
  const grades = gradeBands(draft);
  return (
    <Card title={t("templates.editor.bands")} size="small">
      <Typography.Paragraph type="secondary">
        {t("templates.editor.bandsHelp")}
        {grades && ` ${t("templates.editor.bandsDefault", grades)}`}
      </Typography.Paragraph>
      <BandsFields bands={draft.bands} path="content.bands" disabled={readOnly} onChange={(bands) => onChange({ bands })} />
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Field
            path="content.trendMinPoints"
            id={domId("content.trendMinPoints")}
            label={t("templates.editor.trendMinPoints")}
            extra={t("templates.editor.trendHelp")}
          >
            <Input
              id={domId("content.trendMinPoints")}
              inputMode="decimal"
              disabled={readOnly}
              value={draft.trendMinPoints}
              onChange={(e) => onChange({ trendMinPoints: e.target.value })}
            />
          </Field>
        </Col>
        <Col xs={24} md={8}>
          <Field
            path="content.trendMinRanks"
            id={domId("content.trendMinRanks")}
            label={t("templates.editor.trendMinRanks")}
            extra={t("templates.editor.trendHelp")}
          >
            <InputNumber
              id={domId("content.trendMinRanks")}
              disabled={readOnly}
              min={1}
              precision={0}
              style={{ width: "100%" }}
              value={draft.trendMinRanks}
              onChange={(ranks) => onChange({ trendMinRanks: ranks ?? null })}
            />
          </Field>
        </Col>
      </Row>
    </Card>
  );
}
