// One cycle: its settings, the assessments per state, how many are overdue or late, its units'
// assessments a page at a time (late ones marked), and closing it (admins).
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Popconfirm, Result, Space, Spin, Statistic, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { describeFailure, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, formatNumber, unitName } from "../../format";
import { CycleDetailDocument, CyclesCloseCycleDocument } from "../../gql/graphql";
import { AppealDueText, AppealWindowButton } from "./AppealWindow";
import { CycleAssessmentsTable } from "./CycleAssessmentsTable";
import { AssessmentGroups } from "./AssessmentGroups";
import { finalCount, isCycleAdmin, overdueCount } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { RankingStatusTag } from "./RankingStatusTag";
import { SpotCheckDraws } from "./SpotCheckDraws";
import { StateCounts } from "./StateCounts";

export function CyclePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const { user } = useViewer();
  const query = useGql(CycleDetailDocument, { id });
  const close = useGqlMutation(CyclesCloseCycleDocument);
  const [refusal, setRefusal] = useState<UserError[]>([]);
  const lang = i18n.language;

  if (query.isLoading) return <Spin size="large" style={{ display: "block", margin: 48 }} />;
  if (query.error) {
    return <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} />;
  }
  const cycle = query.data?.node?.__typename === "Cycle" ? query.data.node : null;
  if (!cycle) {
    return <Result status="404" title={t("cycles.detail.notFound")} extra={<Link to="/cycles">{t("cycles.detail.back")}</Link>} />;
  }

  async function closeCycle() {
    setRefusal([]);
    try {
      const payload = (await close.mutateAsync({ input: { cycleId: id } })).closeCycle;
      if (payload.errors.length > 0) setRefusal(payload.errors);
      else message.success(t("cycles.detail.closed"));
    } catch {
      // shown by PayloadErrors below
    }
  }

  const total = cycle.stateCounts.reduce((sum, c) => sum + c.count, 0);
  const overdue = overdueCount(cycle.stateCounts, cycle.selfDue);
  const finals = finalCount(cycle.stateCounts);
  const groupsFixed =
    cycle.state !== "OPEN"
      ? t("cycles.groups.closedCycle")
      : finals > 0
        ? t("cycles.groups.fixed", { count: finals })
        : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Link to="/cycles">
        <ArrowLeftOutlined /> {t("cycles.detail.back")}
      </Link>
      <Card
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {cycle.name}
            </Typography.Title>
            <Tag color={cycle.state === "OPEN" ? "processing" : "default"}>{t(`cycles.cycleStates.${cycle.state}`)}</Tag>
          </Space>
        }
        extra={
          cycle.state === "OPEN" &&
          hasRole(user, ["ADMIN"]) && (
            <Popconfirm
              title={t("cycles.detail.closeConfirm", { name: cycle.name })}
              description={<div style={{ maxWidth: 320 }}>{t("cycles.detail.closeHint")}</div>}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              onConfirm={closeCycle}
              okButtonProps={{ loading: close.isPending }}
            >
              <Button danger loading={close.isPending} disabled={close.isPending}>
                {t("cycles.detail.close")}
              </Button>
            </Popconfirm>
          )
        }
      >
        <PayloadErrors
          errors={refusal}
          failure={close.error}
          fieldsKey="cycles.fields"
          onReload={() => void query.refetch()}
        />
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t("cycles.columns.level")}>{t(`levels.${cycle.level}`)}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.period")}>
            {formatDate(cycle.periodStart, lang)} – {formatDate(cycle.periodEnd, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.owner")}>{unitName(cycle.owner, lang)}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.selfDue")}>{formatDate(cycle.selfDue, lang)}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.reviewDue")}>{formatDate(cycle.reviewDue, lang)}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.appeal.label")}>
            <Space size={8} wrap>
              <AppealDueText appealDue={cycle.appealDue} />
              {cycle.state === "OPEN" && isCycleAdmin(user?.roles, cycle.owner) && (
                <AppealWindowButton cycleId={cycle.id} appealDue={cycle.appealDue} />
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.template")}>
            {t("cycles.templateLabel", { title: cycle.template.title, version: cycle.template.version })}
          </Descriptions.Item>
          <Descriptions.Item label={t("cycles.detail.openedBy")}>{cycle.openedBy?.displayName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.detail.createdAt")}>{formatDate(cycle.createdAt, lang)}</Descriptions.Item>
          <Descriptions.Item label={t("cycles.columns.ranking")}>
            <RankingStatusTag status={cycle.rankingStatus} />
            {cycle.rankingStatus?.computedAt && (
              <Typography.Text type="secondary">
                {t("cycles.rankingAt", { time: formatDate(cycle.rankingStatus.computedAt, lang) })}
              </Typography.Text>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("cycles.counts")}>
        <Space size="large" wrap style={{ marginBottom: 16 }}>
          <Statistic title={t("cycles.totalUnits")} value={formatNumber(total, lang)} />
          <Statistic
            title={t("cycles.detail.overdue")}
            value={formatNumber(overdue, lang)}
            styles={{ content: { color: overdue > 0 ? "#cf1322" : undefined } }}
          />
          <Statistic
            title={t("cycles.detail.lateSubmitted")}
            value={formatNumber(cycle.late.totalCount, lang)}
            styles={{ content: { color: cycle.late.totalCount > 0 ? "#d46b08" : undefined } }}
          />
        </Space>
        <StateCounts counts={cycle.stateCounts} />
      </Card>
      <AssessmentGroups
        cycleId={cycle.id}
        groups={cycle.groups}
        levels={cycle.template.grades.levels}
        canEdit={isCycleAdmin(user?.roles, cycle.owner)}
        fixed={groupsFixed}
      />
      <CycleAssessmentsTable cycleId={cycle.id} selfDue={cycle.selfDue} />
      <SpotCheckDraws cycleId={cycle.id} owner={cycle.owner} level={cycle.level} open={cycle.state === "OPEN"} />
    </Space>
  );
}
