// The region's figures from the published snapshot: units assessed and ranked, mean, median,
// highest and lowest totals, vetoed units, self-assessment inflation and the composite.
import { Card, Col, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber, formatPoints } from "../../format";
import type { RankingSummaryQuery } from "../../gql/graphql";

type Aggregate = NonNullable<RankingSummaryQuery["rankingAggregate"]>;

export function SummaryFigures({
  aggregate,
  loading,
}: {
  aggregate: Aggregate | null | undefined;
  loading: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const figures: { key: string; value: string; danger?: boolean }[] = aggregate
    ? [
        {
          key: "ranked",
          value: `${formatNumber(aggregate.ranked, language)} / ${formatNumber(aggregate.assessed, language)}`,
        },
        { key: "mean", value: formatPoints(aggregate.mean, language) },
        { key: "median", value: formatPoints(aggregate.median, language) },
        { key: "maximum", value: formatPoints(aggregate.maximum, language) },
        { key: "minimum", value: formatPoints(aggregate.minimum, language) },
        {
          key: "vetoCount",
          value: formatNumber(aggregate.vetoCount, language),
          danger: aggregate.vetoCount > 0,
        },
        { key: "meanGap", value: formatPoints(aggregate.meanGap, language) },
        ...(aggregate.composite !== null
          ? [{ key: "composite", value: formatPoints(aggregate.composite, language) }]
          : []),
        ...(aggregate.ownTotal !== null
          ? [{ key: "ownTotal", value: formatPoints(aggregate.ownTotal, language) }]
          : []),
      ]
    : [];
  return (
    <section aria-label={t("rankings.summary.title")}>
      <Card title={t("rankings.summary.title")} loading={loading}>
        {aggregate ? (
          <Row gutter={[16, 16]}>
            {figures.map((figure) => (
              <Col key={figure.key} xs={12} md={8} lg={6} xl={3}>
                <Statistic
                  title={t(`rankings.summary.${figure.key}`)}
                  value={figure.value}
                  valueStyle={figure.danger ? { color: "#cf1322" } : undefined}
                />
              </Col>
            ))}
          </Row>
        ) : (
          t("rankings.summary.none")
        )}
      </Card>
    </section>
  );
}
