// An assessment's header facts (cycle, template, who submitted and reviewed it, when, the last
// return's reason) and its totals: self, reviewed, the gap, the grade and the review's progress.
import { Card, Col, Descriptions, Progress, Row, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDate, formatPoints, unitName } from "../../format";
import type { AssessmentNode } from "./logic";
import { GapText, GradeTag } from "./tags";

export function ReviewSummary({ assessment: a }: { assessment: AssessmentNode }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const reviewed = a.entries.filter((e) => e.reviewed).length;
  const who = (user: { displayName: string } | null | undefined) => (user ? ` · ${user.displayName}` : "");
  return (
    <Card size="small">
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={12}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t("reviews.page.cycle")}>
              {a.cycle.name}
              {a.cycle.owner ? ` (${unitName(a.cycle.owner, language)})` : ""}
            </Descriptions.Item>
            <Descriptions.Item label={t("reviews.page.template")}>{a.cycle.template.title}</Descriptions.Item>
            <Descriptions.Item label={t("reviews.page.submitted")}>
              {formatDate(a.submittedAt, language)}
              {who(a.submittedBy)}
            </Descriptions.Item>
            <Descriptions.Item label={t("reviews.page.reviewDue")}>{formatDate(a.cycle.reviewDue, language)}</Descriptions.Item>
            {a.reviewedAt && (
              <Descriptions.Item label={t("reviews.page.reviewed")}>
                {formatDate(a.reviewedAt, language)}
                {who(a.reviewedBy)}
              </Descriptions.Item>
            )}
            {a.finalisedAt && (
              <Descriptions.Item label={t("reviews.page.finalised")}>{formatDate(a.finalisedAt, language)}</Descriptions.Item>
            )}
            {a.returnedReason && (
              <Descriptions.Item label={t("reviews.page.returnedReason")} span={2}>
                <Typography.Text type="warning">{a.returnedReason}</Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Col>
        <Col xs={24} xl={12}>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t("reviews.page.selfTotal")} value={formatPoints(a.selfTotal, language)} />
            </Col>
            <Col span={6}>
              <Statistic title={t("reviews.page.reviewedTotal")} value={formatPoints(a.reviewedTotal, language)} />
            </Col>
            <Col span={6}>
              <Statistic title={t("reviews.page.gap")} valueRender={() => <GapText gap={a.gap} />} />
            </Col>
            <Col span={6}>
              <Statistic title={t("reviews.page.grade")} valueRender={() => <GradeTag grade={a.grade} name={a.gradeName} />} />
            </Col>
          </Row>
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary" id="reviews-progress">
              {t("reviews.page.progress")} {reviewed} / {a.entries.length}
            </Typography.Text>
            <Progress
              aria-labelledby="reviews-progress"
              percent={a.entries.length ? Math.round((reviewed / a.entries.length) * 100) : 0}
              size="small"
            />
          </div>
        </Col>
      </Row>
    </Card>
  );
}
