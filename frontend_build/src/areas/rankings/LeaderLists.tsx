// The leaders' two lists from the snapshot: units to commend and units to criticise or
// interview, each with its rank, total, grade and reasons (and its group, 分类考核, when the
// cycle ranks its units in groups: the rank is within the group).
import { Card, Col, Empty, List, Row, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber, formatPoints, unitName } from "../../format";
import type { RankingSummaryQuery } from "../../gql/graphql";
import { GradeTag } from "./parts";
import { reasonTexts } from "./reasons";

type Listed = RankingSummaryQuery["criticismList"]["units"][number];

function UnitsList({
  title,
  units,
  scopeName,
  loading,
  empty,
}: {
  title: string;
  units: Listed[];
  scopeName: string;
  loading: boolean;
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <section aria-label={title} style={{ height: "100%" }}>
      <Card title={title} loading={loading} style={{ height: "100%" }}>
        {units.length === 0 ? (
          <Empty description={empty} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            dataSource={units}
            renderItem={({ entry, reasons }) => (
              <List.Item key={entry.unit.code}>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{unitName(entry.unit, language)}</span>
                      {entry.groupName && <Tag color="cyan">{entry.groupName}</Tag>}
                      <Typography.Text type="secondary">
                        {t("rankings.lists.rankOf", {
                          rank: formatNumber(entry.rank, language),
                          of: formatNumber(entry.of, language),
                        })}
                      </Typography.Text>
                      <Typography.Text>{formatPoints(entry.score, language)}</Typography.Text>
                      <GradeTag grade={entry.grade} />
                    </Space>
                  }
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {reasonTexts(reasons, entry, scopeName, t, language).map((text, i) => (
                        <li key={i}>{text}</li>
                      ))}
                    </ul>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </section>
  );
}

export function LeaderLists({
  data,
  scopeName,
  loading,
}: {
  data: RankingSummaryQuery | undefined;
  scopeName: string;
  loading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <UnitsList
          title={t("rankings.lists.commend")}
          units={data?.commendationCandidates.units ?? []}
          scopeName={scopeName}
          loading={loading}
          empty={t("rankings.lists.noCommend")}
        />
      </Col>
      <Col xs={24} lg={12}>
        <UnitsList
          title={t("rankings.lists.criticise")}
          units={data?.criticismList.units ?? []}
          scopeName={scopeName}
          loading={loading}
          empty={t("rankings.lists.noCriticise")}
        />
      </Col>
    </Row>
  );
}
