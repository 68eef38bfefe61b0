// The dashboard's version control: beside the snapshot line, when the cycle's rankings were
// published more than once (recomputed while open, or republished after a veto found later), a
// button "版本变化（v1 → v2）" opens a drawer comparing an earlier version (by default the one
// before) with the version shown: per unit the rank, score and grade before and after, the vetoes
// and yellow cards that came or went with their reasons, and the commendations to withdraw or
// grant; then every version with its time, state and whether its rows are kept.
import { ArrowDownOutlined, ArrowRightOutlined, ArrowUpOutlined, HistoryOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Card, Drawer, Form, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { formatDate } from "../../format";
import {
  RankingVersionChangesDocument,
  type RankingVersionChangesQuery,
  type RankingVersionFragment,
  type TenantLevel,
  type UnitRefFragment,
} from "../../gql/graphql";
import { PrintReportButton } from "../../components/PrintReportButton";
import { GradeTag } from "./parts";
import {
  CHANGE_TAG_COLORS,
  type ChangeRow,
  changeRows,
  changeSentence,
  changesFailure,
  commendationCounts,
  comparableVersions,
  effectiveFromVersion,
} from "./versions";

type Props = {
  cycleId: string;
  scope: UnitRefFragment;
  level: TenantLevel;
  /** The version the dashboard shows. */
  current: number;
  /** Every version of the cycle's rankings, newest first. */
  versions: readonly RankingVersionFragment[];
};

export function VersionControl({ cycleId, scope, level, current, versions }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);
  const from = effectiveFromVersion(chosen, versions, current);
  // Fetched with the dashboard, so the button says how many units changed before it is opened.
  const query = useGql(
    RankingVersionChangesDocument,
    { cycle: cycleId, scope: scope.id, level, fromVersion: from ?? 0, toVersion: current },
    { enabled: from !== null, retry: false },
  );
  if (versions.length < 2) return null;
  const count = query.data?.rankingChanges.changes.length ?? 0;
  const label = from === null ? t("rankings.versions.title") : t("rankings.versions.open", { from, to: current });

  return (
    <>
      <Tooltip title={t("rankings.versions.openHint")}>
        <Badge count={count} size="small" overflowCount={99} title={t("rankings.versions.changed", { count })}>
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setOpen(true)}>
            {label}
          </Button>
        </Badge>
      </Tooltip>
      <Drawer open={open} onClose={() => setOpen(false)} size={1040} title={label}>
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Form layout="inline">
            <Form.Item label={t("rankings.versions.from")} htmlFor="ranking-version-from">
              <FromSelect versions={versions} current={current} value={from} onChange={setChosen} />
            </Form.Item>
            <Form.Item>
              <ArrowRightOutlined aria-hidden />
            </Form.Item>
            <Form.Item label={t("rankings.versions.to")}>
              <Space size={4}>
                <Typography.Text strong>{t("rankings.versions.versionName", { version: current })}</Typography.Text>
                <Tag color="blue">{t("rankings.versions.current")}</Tag>
              </Space>
            </Form.Item>
          </Form>
          {from === null ? (
            <Alert type="info" showIcon title={t("rankings.versions.noEarlier")} />
          ) : query.error ? (
            <Alert
              type="error"
              showIcon
              title={changesFailure(query.error, from, t) ?? describeFailure(query.error, t)}
            />
          ) : (
            <ChangesList data={query.data?.rankingChanges} loading={query.isFetching} />
          )}
          {from !== null && (
            <PrintReportButton
              request={{ kind: "RANKING", cycleId, scopeId: scope.id, level, compareWithVersion: from }}
              label={t("rankings.versions.print", { from })}
              labels={{ compareWithVersion: t("rankings.versions.from") }}
            />
          )}
          <VersionsList versions={versions} current={current} from={from} />
        </Space>
      </Drawer>
    </>
  );
}

function stateWord(v: Pick<RankingVersionFragment, "provisional">, t: (key: string) => string): string {
  return t(v.provisional ? "rankings.versions.provisional" : "rankings.versions.final");
}

function FromSelect({
  versions,
  current,
  value,
  onChange,
}: {
  versions: readonly RankingVersionFragment[];
  current: number;
  value: number | null;
  onChange: (version: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const options = comparableVersions(versions, current).map(({ version: v, disabled }) => ({
    value: v.version,
    disabled,
    label:
      t("rankings.versions.option", {
        version: v.version,
        state: stateWord(v, t),
        time: formatDate(v.computedAt, i18n.language),
      }) + (disabled ? t("rankings.versions.optionNotKept") : ""),
  }));
  return (
    <Select
      id="ranking-version-from"
      style={{ minWidth: 320 }}
      value={value ?? undefined}
      onChange={onChange}
      options={options}
      disabled={options.length === 0}
    />
  );
}

type Changes = RankingVersionChangesQuery["rankingChanges"];

/** Where the unit stood and stands, with the arrow and the places moved. */
function RankCell({ row }: { row: ChangeRow }) {
  const { move, moveText, text } = row.rank;
  return (
    <Space orientation="vertical" size={0}>
      <span style={{ whiteSpace: "nowrap" }}>{text}</span>
      {move ? (
        <span
          aria-label={moveText}
          style={{ color: move.direction === "up" ? "#389e0d" : "#cf1322", whiteSpace: "nowrap" }}
        >
          {move.direction === "up" ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {moveText}
        </span>
      ) : (
        moveText && <Typography.Text type="secondary">{moveText}</Typography.Text>
      )}
    </Space>
  );
}

/** What changed between the two versions: how many, the commendations to withdraw or grant, and
 * a row per unit; or that nothing did. */
export function ChangesList({ data, loading }: { data: Changes | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  if (!data) return <Card loading={loading} />;
  const rows = changeRows(data.changes, t, language);
  const { withdrawn, granted } = commendationCounts(rows);
  const between = t("rankings.versions.between", {
    from: data.from.version,
    fromState: stateWord(data.from, t),
    fromTime: formatDate(data.from.computedAt, language),
    to: data.to.version,
    toState: stateWord(data.to, t),
    toTime: formatDate(data.to.computedAt, language),
  });
  const summary = [
    t("rankings.versions.summary", { count: rows.length }),
    ...(withdrawn ? [t("rankings.versions.withdrawnCount", { count: withdrawn })] : []),
    ...(granted ? [t("rankings.versions.grantedCount", { count: granted })] : []),
  ].join(t("rankings.versions.separator"));

  const columns = [
    {
      title: t("rankings.versions.columns.unit"),
      key: "unit",
      width: 150,
      render: (_: unknown, row: ChangeRow) => (
        <Space orientation="vertical" size={4}>
          <Typography.Text strong>{row.unit}</Typography.Text>
          {row.tags.length > 0 && (
            <Space size={4} wrap>
              {row.tags.map((tag) => (
                <Tooltip key={tag} title={t(`rankings.versions.tagHints.${tag}`)}>
                  <Tag color={CHANGE_TAG_COLORS[tag]} style={{ marginInlineEnd: 0 }}>
                    {t(`rankings.versions.tags.${tag}`)}
                  </Tag>
                </Tooltip>
              ))}
            </Space>
          )}
        </Space>
      ),
    },
    {
      title: t("rankings.versions.columns.rank"),
      key: "rank",
      width: 170,
      render: (_: unknown, row: ChangeRow) => <RankCell row={row} />,
    },
    {
      title: t("rankings.versions.columns.score"),
      key: "score",
      width: 150,
      render: (_: unknown, row: ChangeRow) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: "nowrap" }}>{row.score.text}</span>
          {row.score.changeText && (
            <span style={{ color: (row.score.change ?? 0) > 0 ? "#389e0d" : "#cf1322" }}>{row.score.changeText}</span>
          )}
        </Space>
      ),
    },
    {
      title: t("rankings.versions.columns.grade"),
      key: "grade",
      width: 170,
      render: (_: unknown, row: ChangeRow) =>
        row.grade.changed ? (
          <Space size={4}>
            <GradeTag grade={row.grade.before} />
            <ArrowRightOutlined aria-label="→" />
            <GradeTag grade={row.grade.after} />
          </Space>
        ) : (
          <GradeTag grade={row.grade.after} />
        ),
    },
    {
      title: t("rankings.versions.columns.why"),
      key: "why",
      render: (_: unknown, row: ChangeRow) => (
        <Space orientation="vertical" size={6}>
          {row.rules.map((rule, i) => (
            <div key={i}>
              <Tag color={rule.kind.startsWith("veto") ? "red" : "gold"}>{t(`rankings.versions.ruleKinds.${rule.kind}`)}</Tag>
              <Typography.Text strong>
                {rule.rule} {rule.title}
              </Typography.Text>
              <div>
                {t("common.reason")}：{rule.reason}
              </div>
              {rule.evidence && rule.evidence !== rule.reason && (
                <Typography.Text type="secondary">{t("rankings.versions.evidence", { evidence: rule.evidence })}</Typography.Text>
              )}
            </div>
          ))}
          {row.note && <Typography.Text type="secondary">{row.note}</Typography.Text>}
          {row.rules.length === 0 && !row.note && <Typography.Text type="secondary">—</Typography.Text>}
        </Space>
      ),
    },
  ];

  return (
    <section aria-label={t("rankings.versions.changesLabel", { from: data.from.version, to: data.to.version })}>
      <Space orientation="vertical" size={8} style={{ width: "100%" }}>
        <Typography.Text type="secondary">{between}</Typography.Text>
        {rows.length === 0 ? (
          <Alert type="success" showIcon title={t("rankings.versions.empty")} />
        ) : (
          <>
            {/* The changes as sentences, copied to quote in a notice of the republished result. */}
            <Typography.Text
              strong
              copyable={{
                text: [between, ...rows.map((row) => changeSentence(row, t))].join("\n"),
                tooltips: [t("rankings.versions.copy"), t("rankings.versions.copied")],
              }}
            >
              {summary}
            </Typography.Text>
            <Table<ChangeRow>
              size="small"
              rowKey="key"
              columns={columns}
              dataSource={rows}
              loading={loading}
              pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              scroll={{ x: 900 }}
            />
          </>
        )}
      </Space>
    </section>
  );
}

function VersionsList({
  versions,
  current,
  from,
}: {
  versions: readonly RankingVersionFragment[];
  current: number;
  from: number | null;
}) {
  const { t, i18n } = useTranslation();
  const title = t("rankings.versions.list.title");
  const columns = [
    {
      title: t("rankings.versions.list.version"),
      key: "version",
      width: 200,
      render: (_: unknown, v: RankingVersionFragment) => (
        <Space size={4}>
          {t("rankings.versions.versionName", { version: v.version })}
          {v.version === current && <Tag color="blue">{t("rankings.versions.current")}</Tag>}
          {v.version === from && <Tag>{t("rankings.versions.base")}</Tag>}
        </Space>
      ),
    },
    {
      title: t("rankings.versions.list.computedAt"),
      key: "computedAt",
      render: (_: unknown, v: RankingVersionFragment) => formatDate(v.computedAt, i18n.language),
    },
    {
      title: t("rankings.versions.list.state"),
      key: "state",
      width: 100,
      render: (_: unknown, v: RankingVersionFragment) => (
        <Tag color={v.provisional ? "orange" : "green"}>{stateWord(v, t)}</Tag>
      ),
    },
    {
      title: t("rankings.versions.list.rows"),
      key: "rows",
      width: 120,
      render: (_: unknown, v: RankingVersionFragment) =>
        v.rowsKept ? (
          t("rankings.versions.list.kept")
        ) : (
          <Tooltip title={t("rankings.versions.list.prunedHint")}>
            <Typography.Text type="secondary">{t("rankings.versions.list.pruned")}</Typography.Text>
          </Tooltip>
        ),
    },
  ];
  return (
    <section aria-label={title}>
      <Card size="small" title={title}>
        <Table<RankingVersionFragment>
          size="small"
          rowKey="version"
          columns={columns}
          dataSource={[...versions]}
          pagination={versions.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        />
      </Card>
    </section>
  );
}
