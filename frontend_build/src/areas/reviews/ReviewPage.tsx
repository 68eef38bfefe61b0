// The review screen of one assessment: its header and totals, the reviewer's actions (confirm,
// adjust, return, complete) or the cycle office's finalising, and tabs for the indicator tree,
// the scorecard, spot checks, vetoes and the history.
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Card, Popconfirm, Result, Skeleton, Space, Tabs, Tag, Typography, message } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { unitName } from "../../format";
import { PrintReportButton } from "../../components/PrintReportButton";
import {
  ReviewAssessmentDocument,
  ReviewsCompleteReviewDocument,
  ReviewsFinaliseAssessmentDocument,
  ReviewsReturnAssessmentDocument,
  ReviewsReviewEntriesDocument,
} from "../../gql/graphql";
import { AdjustModal } from "./AdjustModal";
import { AppealsCard } from "./Appeals";
import { HistoryPanel } from "./HistoryPanel";
import { IndicatorTable } from "./IndicatorTable";
import { canFinalise, canReview, confirmRestInputs, type EntryRow, isAssessment, UNDER_REVIEW } from "./logic";
import { OutcomeAlert, useOutcome } from "./outcome";
import { ReasonModal } from "./ReasonModal";
import { ReviewSummary } from "./ReviewSummary";
import { ScorecardPanel } from "./ScorecardPanel";
import { SpotChecks } from "./SpotChecks";
import { StateTag } from "./tags";
import { Vetoes } from "./Vetoes";

export function ReviewPage() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const { user } = useViewer();
  const query = useGql(ReviewAssessmentDocument, { id });
  const review = useGqlMutation(ReviewsReviewEntriesDocument);
  const complete = useGqlMutation(ReviewsCompleteReviewDocument);
  const finalise = useGqlMutation(ReviewsFinaliseAssessmentDocument);
  const returnIt = useGqlMutation(ReviewsReturnAssessmentDocument);
  const { outcome, run, clear } = useOutcome();
  const [open, setOpen] = useState<EntryRow | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);

  const reload = () => {
    clear();
    void query.refetch();
  };

  if (query.isLoading) return <Skeleton active />;
  if (query.error) return <Alert type="error" role="alert" showIcon message={describeFailure(query.error, t)} />;
  const node = query.data?.node;
  if (!isAssessment(node)) {
    return (
      <Result
        status="404"
        title={t("reviews.page.notFound")}
        extra={<Link to="/reviews">{t("reviews.page.back")}</Link>}
      />
    );
  }
  const a = node;
  const reviewer = canReview(user, a.unit);
  const reviewable = reviewer && UNDER_REVIEW.includes(a.state);
  const finalisable = a.state === "REVIEWED" && canFinalise(user, a.cycle.owner);
  const notFinal = a.state !== "FINAL";
  const rest = confirmRestInputs(a.entries);
  const version = a.version;
  const busy = review.isPending || complete.isPending || finalise.isPending || confirming !== null;

  async function confirmOne(entry: EntryRow) {
    setConfirming(entry.indicator.code);
    const saved = await run(
      review
        .mutateAsync({ input: { assessmentId: a.id, expectedVersion: version, reviews: [{ itemCode: entry.indicator.code }] } })
        .then((d) => d.reviewEntries),
    );
    setConfirming(null);
    if (saved) void message.success(t("reviews.adjust.confirmed", { code: entry.indicator.code }));
  }

  async function confirmRest() {
    const saved = await run(
      review
        .mutateAsync({ input: { assessmentId: a.id, expectedVersion: version, reviews: rest } })
        .then((d) => d.reviewEntries),
    );
    if (saved) void message.success(t("reviews.actions.confirmedRest"));
  }

  async function completeReview() {
    const saved = await run(
      complete.mutateAsync({ input: { assessmentId: a.id, expectedVersion: version } }).then((d) => d.completeReview),
    );
    if (saved) void message.success(t("reviews.actions.completed"));
  }

  async function finaliseIt() {
    const saved = await run(
      finalise.mutateAsync({ input: { assessmentId: a.id } }).then((d) => d.finaliseAssessment),
    );
    if (saved) void message.success(t("reviews.actions.finalised"));
  }

  const unitLabel = unitName(a.unit, i18n.language);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Link to="/reviews">
        <ArrowLeftOutlined /> {t("reviews.page.back")}
      </Link>
      <Space wrap align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {unitLabel}
        </Typography.Title>
        <Typography.Text type="secondary">{a.unit.code}</Typography.Text>
        <StateTag state={a.state} />
        {a.late && <Tag color="orange">{t("reviews.flags.late")}</Tag>}
        {a.reviewLate && <Tag color="orange">{t("reviews.flags.reviewLate")}</Tag>}
        {a.vetoed && <Tag color="red">{t("reviews.flags.vetoed")}</Tag>}
        {a.yellowCards > 0 && <Tag color="gold">{t("reviews.flags.yellowCard")}</Tag>}
        {a.group && <Tag color="cyan">{t("reviews.flags.group", { name: a.group.name })}</Tag>}
        <PrintReportButton size="small" request={{ kind: "SCORECARD", assessmentId: a.id }} label={t("reviews.page.scorecardPdf")} />
      </Space>
      <ReviewSummary assessment={a} />
      {!reviewer && notFinal && a.state !== "REVIEWED" && (
        <Alert type="info" showIcon message={t("reviews.page.notYours")} />
      )}
      {reviewer && !reviewable && a.state !== "REVIEWED" && a.state !== "FINAL" && (
        <Alert type="info" showIcon message={t("reviews.page.notReviewable", { state: t(`reviews.states.${a.state}`) })} />
      )}
      <OutcomeAlert outcome={outcome} onReload={reload} />
      {(reviewable || finalisable) && (
        <Card size="small">
          <Space wrap>
            {reviewable && rest.length > 0 && (
              <Button onClick={confirmRest} loading={review.isPending && confirming === null} disabled={busy}>
                {t("reviews.actions.confirmRest", { count: rest.length })}
              </Button>
            )}
            {reviewable && (
              <Popconfirm
                title={t("reviews.actions.completeConfirm")}
                okText={t("common.confirm")}
                cancelText={t("common.cancel")}
                onConfirm={completeReview}
              >
                <Button type="primary" loading={complete.isPending} disabled={busy}>
                  {t("reviews.actions.complete")}
                </Button>
              </Popconfirm>
            )}
            {reviewable && (
              <Button danger onClick={() => setReturning(true)} disabled={busy}>
                {t("reviews.actions.returnIt")}
              </Button>
            )}
            {finalisable && (
              <Popconfirm
                title={t("reviews.actions.finaliseConfirm")}
                okText={t("common.confirm")}
                cancelText={t("common.cancel")}
                onConfirm={finaliseIt}
              >
                <Button type="primary" loading={finalise.isPending} disabled={busy}>
                  {t("reviews.actions.finalise")}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </Card>
      )}
      {(a.appeals.length > 0 || a.cycle.appealDue) && (
        <AppealsCard
          assessment={a}
          reviewer={reviewer}
          onDecided={(accepted, code) => {
            void message.success(t(accepted ? "reviews.appeals.accepted" : "reviews.appeals.rejected", { code }));
            reload();
          }}
          onReload={reload}
        />
      )}
      <Tabs
        items={[
          {
            key: "indicators",
            label: t("reviews.tabs.indicators"),
            children: (
              <IndicatorTable
                assessment={a}
                reviewable={reviewable}
                confirming={confirming}
                onConfirm={confirmOne}
                onOpen={setOpen}
              />
            ),
          },
          { key: "scorecard", label: t("reviews.tabs.scorecard"), children: <ScorecardPanel assessment={a} /> },
          {
            key: "spotChecks",
            label: (
              <Space size={4}>
                {t("reviews.tabs.spotChecks")}
                <Badge count={a.spotChecks.length} showZero={false} color="purple" />
              </Space>
            ),
            children: <SpotChecks assessment={a} canAdd={reviewer && notFinal} onReload={reload} />,
          },
          {
            key: "vetoes",
            label: (
              <Space size={4}>
                {t("reviews.tabs.vetoes")}
                <Badge count={a.vetoes.filter((v) => !v.withdrawn).length + a.ledgerVetoes.length} showZero={false} />
              </Space>
            ),
            children: <Vetoes assessment={a} canAct={reviewer && notFinal} office={canFinalise(user, a.cycle.owner)} onReload={reload} />,
          },
          { key: "history", label: t("reviews.tabs.history"), children: <HistoryPanel assessmentId={a.id} /> },
        ]}
      />
      {open && (
        <AdjustModal
          key={open.indicator.code}
          assessmentId={a.id}
          version={version}
          entry={a.entries.find((e) => e.indicator.code === open.indicator.code) ?? open}
          reviewable={reviewable}
          onClose={() => setOpen(null)}
          onSaved={(code) => {
            setOpen(null);
            void message.success(t("reviews.adjust.saved", { code }));
          }}
          onReload={reload}
        />
      )}
      <ReasonModal
        open={returning}
        title={t("reviews.actions.returnTitle", { unit: unitLabel })}
        label={t("reviews.actions.returnReason")}
        okText={t("reviews.actions.returnIt")}
        danger
        submit={(reason) =>
          returnIt
            .mutateAsync({ input: { assessmentId: a.id, expectedVersion: version, reason } })
            .then((d) => d.returnAssessment)
        }
        onDone={() => {
          setReturning(false);
          void message.success(t("reviews.actions.returned"));
        }}
        onCancel={() => setReturning(false)}
        onReload={reload}
      />
    </Space>
  );
}
