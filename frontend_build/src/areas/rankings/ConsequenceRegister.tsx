// The consequences register (奖惩登记) of the chosen cycle and region: final once the cycle is
// closed (with the day it was decided) or a preview while it is open, the template's policy in
// one line, and every unit the result commends, criticises, interviews or bars, with the grounds
// under each consequence; download it as Excel or print it as a PDF.
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { CONSEQUENCE_COLORS, CONSEQUENCES, policySentence } from "../../components/consequencePolicy";
import { PrintReportButton } from "../../components/PrintReportButton";
import { formatDate, formatNumber, formatPoints, unitName } from "../../format";
import { ConsequenceRegisterDocument, type UnitRefFragment } from "../../gql/graphql";
import { GradeTag } from "./parts";
import { rankedInGroups } from "./ranking";
import { consequenceCounts, type RegisterRow, registerExportUrl, registerRows, registerStatus } from "./register";

type Props = {
  cycleId: string;
  scope: UnitRefFragment;
  /** Only this assessment group's units (分类考核); null: every unit under the scope. */
  group?: string | null;
};

export function ConsequenceRegister({ cycleId, scope, group = null }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const query = useGql(ConsequenceRegisterDocument, { cycle: cycleId, scope: scope.id, group });
  const register = query.data?.consequenceRegister;
  const scopeName = unitName(scope, language);
  const rows = register ? registerRows(register.units, scopeName, t, language) : [];
  const status = register ? registerStatus(register) : null;
  const months = register?.policy.ineligibleMonths ?? 0;
  const counts = consequenceCounts(rows);
  const title = t("rankings.register.title");
  // In groups (分类考核) each unit is ranked and commended within its group.
  const grouped = rankedInGroups(rows.map((row) => row.entry));

  const columns = [
    ...(grouped
      ? [
          {
            title: t("rankings.register.group"),
            key: "group",
            width: 120,
            render: (_: unknown, row: RegisterRow) =>
              row.entry.groupName ? <Tag color="cyan">{row.entry.groupName}</Tag> : "—",
          },
        ]
      : []),
    {
      title: grouped ? t("rankings.register.rankInGroup") : t("rankings.register.rank"),
      key: "rank",
      width: grouped ? 90 : 72,
      render: (_: unknown, row: RegisterRow) =>
        row.entry.groupCode
          ? `${formatNumber(row.entry.rank, language)}/${formatNumber(row.entry.of, language)}`
          : formatNumber(row.entry.rank, language),
    },
    {
      title: t("rankings.register.unit"),
      key: "unit",
      width: 140,
      render: (_: unknown, row: RegisterRow) => unitName(row.entry.unit, language),
    },
    {
      title: t("rankings.register.score"),
      key: "score",
      width: 90,
      align: "right" as const,
      render: (_: unknown, row: RegisterRow) => formatPoints(row.entry.score, language),
    },
    {
      title: t("rankings.register.grade"),
      key: "grade",
      width: 90,
      render: (_: unknown, row: RegisterRow) => <GradeTag grade={row.entry.grade} />,
    },
    {
      title: t("rankings.register.consequences"),
      key: "consequences",
      render: (_: unknown, row: RegisterRow) => (
        <Space orientation="vertical" size={4}>
          {row.consequences.map((c) => (
            <div key={c.kind}>
              <Tag color={CONSEQUENCE_COLORS[c.kind]}>{t(`consequences.kinds.${c.kind}`)}</Tag>
              {c.grounds.length > 0 && (
                <ul style={{ margin: "4px 0 0", paddingInlineStart: 18 }} aria-label={t("rankings.register.grounds", { kind: t(`consequences.kinds.${c.kind}`) })}>
                  {c.grounds.map((text, i) => (
                    <li key={i}>{text}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </Space>
      ),
    },
    {
      title: t("rankings.register.until"),
      key: "until",
      width: 150,
      render: (_: unknown, row: RegisterRow) => {
        const bar = row.consequences.find((c) => c.kind === "INELIGIBILITY");
        if (!bar) return <Typography.Text type="secondary">—</Typography.Text>;
        if (bar.until) return formatDate(bar.until, language);
        return (
          <Tooltip title={t("rankings.register.untilOpenHint")}>
            <Typography.Text type="secondary">{t("rankings.register.untilOpen", { months })}</Typography.Text>
          </Tooltip>
        );
      },
    },
  ];

  const banner =
    status?.state === "final" ? (
      <Alert
        type="success"
        showIcon
        title={t("rankings.register.final", { date: formatDate(status.decidedOn, language) })}
      />
    ) : status?.state === "preview" ? (
      <Alert type="info" showIcon title={t("rankings.register.preview")} />
    ) : status?.state === "unpublished" ? (
      <Alert type="warning" showIcon title={t("rankings.register.unpublished")} />
    ) : null;

  const summary = CONSEQUENCES.filter((kind) => counts[kind]).map((kind) =>
    t("rankings.register.count", { kind: t(`consequences.kinds.${kind}`), count: counts[kind] }),
  );

  return (
    <section aria-label={title}>
      <Card
        title={title}
        loading={query.isLoading}
        extra={
          <Space wrap>
            <Tooltip title={t("rankings.register.exportHint")}>
              <Button size="small" icon={<DownloadOutlined />} href={registerExportUrl(cycleId, scope.id)} download>
                {t("rankings.register.export")}
              </Button>
            </Tooltip>
            <PrintReportButton
              size="small"
              request={{ kind: "CONSEQUENCES", cycleId, scopeId: scope.id }}
              label={t("rankings.register.print")}
            />
          </Space>
        }
      >
        {query.error && !register ? (
          <Alert type="error" showIcon title={describeFailure(query.error, t)} />
        ) : (
          register && (
            <Space orientation="vertical" size={12} style={{ width: "100%" }}>
              {banner}
              <Typography.Text>
                <Typography.Text strong>{t("rankings.register.policy")}</Typography.Text>
                {policySentence(register.policy, t)}
              </Typography.Text>
              {summary.length > 0 && <Typography.Text type="secondary">{summary.join(t("consequences.policy.separator"))}</Typography.Text>}
              <Table<RegisterRow>
                size="small"
                rowKey="key"
                columns={columns}
                dataSource={rows}
                pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                locale={{ emptyText: t("rankings.register.empty") }}
                scroll={{ x: 800 }}
              />
            </Space>
          )
        )}
      </Card>
    </section>
  );
}
