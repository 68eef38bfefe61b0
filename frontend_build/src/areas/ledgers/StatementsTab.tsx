// Responsibility statements: coverage for a year (who signed, percent), the list, issuing and
// recording a signature.
import { Button, Card, Col, DatePicker, Form, InputNumber, Modal, Row, Select, Statistic, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, formatPercent, unitName } from "../../format";
import {
  LedgerStatementCoverageDocument,
  LedgerStatementsDocument,
  SignStatementDocument,
  type StatementRowFragment,
  type StatementState,
} from "../../gql/graphql";
import { PayloadErrors } from "../../components/PayloadErrors";
import { useSubmit } from "./useSubmit";
import { StatementIssueModal } from "./StatementIssueModal";

export function StatementsTab() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [year, setYear] = useState(dayjs().year());
  const [state, setState] = useState<StatementState | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [signing, setSigning] = useState<StatementRowFragment | null>(null);
  const [signForm] = Form.useForm<{ signedOn: Dayjs }>();
  const { problems, failure, run, clear } = useSubmit(signForm);
  const sign = useGqlMutation(SignStatementDocument);
  const nodeId = user?.node.id ?? "";
  const canKeep = hasRole(user, ["SUBMITTER", "ASSESSOR", "ADMIN"]);
  const coverage = useGql(LedgerStatementCoverageDocument, { nodeId, year }, { enabled: !!nodeId });
  const list = useGql(LedgerStatementsDocument, { filter: { year, state }, first: paging.first, after: paging.after });
  const c = coverage.data?.statementCoverage;
  const pct = (v: string) => formatPercent(Number(v) / 100, i18n.language);
  const connection = list.data?.responsibilityStatements;

  async function submitSign({ signedOn }: { signedOn: Dayjs }) {
    if (!signing) return;
    const saved = await run(async () => {
      const data = await sign.mutateAsync({
        input: { statementId: signing.id, expectedVersion: signing.version, signedOn: signedOn.format("YYYY-MM-DD") },
      });
      return data.signResponsibilityStatement;
    });
    if (saved) setSigning(null);
  }

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("ledgers.statements.heading")}</Typography.Title>
        {canKeep && <Button type="primary" onClick={() => setIssuing(true)}>{t("ledgers.statements.issue")}</Button>}
      </div>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t("ledgers.statements.year")} htmlFor="statement-year">
          <InputNumber id="statement-year" min={2000} max={2100} value={year} onChange={(v) => { if (v) { setYear(v); paging.reset(); } }} />
        </Form.Item>
        <Form.Item label={t("common.state")} htmlFor="statement-state">
          <Select id="statement-state" allowClear style={{ minWidth: 120 }} placeholder={t("common.all")} value={state}
            onChange={(v: StatementState) => { setState(v ?? null); paging.reset(); }}
            options={(["ISSUED", "SIGNED"] as const).map((s) => ({ value: s, label: t(`ledgers.statements.states.${s}`) }))} />
        </Form.Item>
      </Form>
      <PayloadErrors failure={coverage.error ?? list.error} />
      {c && (
        <Card title={t("ledgers.statements.coverageTitle", { unit: unitName(user?.node, i18n.language), year })} style={{ marginBottom: 24 }}>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}><Statistic title={t("ledgers.statements.coverage")} value={`${pct(c.tally.coverage)} (${c.tally.signed}/${c.tally.issued})`} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.statements.unitCoverage")} value={`${pct(c.unitCoverage)} (${c.unitsSigned}/${c.unitsTotal})`} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.statements.unitsIssued")} value={c.unitsIssued} /></Col>
            <Col xs={12} md={6}><Statistic title={t("ledgers.statements.enterpriseCoverage")} value={`${pct(c.enterpriseCoverage)} (${c.enterprisesSigned}/${c.enterprisesIssued})`} /></Col>
          </Row>
          <Table
            aria-label={t("ledgers.statements.whoSigned")}
            rowKey={(r) => r.unit.id}
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={c.units}
            locale={{ emptyText: t("common.empty") }}
            columns={[
              { title: t("common.unit"), key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
              { title: t("common.state"), key: "state", render: (_, r) => (r.state ? <Tag color={r.state === "SIGNED" ? "green" : "orange"}>{t(`ledgers.statements.states.${r.state}`)}</Tag> : <Tag>{t("ledgers.statements.notIssued")}</Tag>) },
              { title: t("ledgers.statements.signedOn"), key: "signedOn", render: (_, r) => formatDate(r.signedOn, i18n.language) },
            ]}
          />
        </Card>
      )}
      <Table<StatementRowFragment>
        aria-label={t("ledgers.statements.list")}
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("common.empty") }}
        columns={[
          { title: t("ledgers.statements.titleLabel"), dataIndex: "title" },
          { title: t("ledgers.statements.issuer"), key: "issuer", render: (_, s) => unitName(s.issuer, i18n.language) },
          { title: t("ledgers.statements.party"), key: "party", render: (_, s) => (s.party === "UNIT" ? unitName(s.counterparty, i18n.language) : s.enterprise) },
          { title: t("ledgers.statements.partyKind"), dataIndex: "party", render: (p: string) => t(`ledgers.statements.parties.${p}`) },
          { title: t("common.state"), dataIndex: "state", render: (s: StatementState) => <Tag color={s === "SIGNED" ? "green" : "orange"}>{t(`ledgers.statements.states.${s}`)}</Tag> },
          { title: t("ledgers.statements.signedOn"), dataIndex: "signedOn", render: (d: string | null) => formatDate(d, i18n.language) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, s) =>
              s.state === "ISSUED" && canKeep ? (
                <Button size="small" onClick={() => { clear(); setSigning(s); }}>{t("ledgers.statements.sign")}</Button>
              ) : null,
          },
        ]}
      />
      {issuing && (
        <StatementIssueModal
          open
          nodeId={nodeId}
          year={year}
          candidates={c?.units.filter((u) => !u.state).map((u) => u.unit) ?? []}
          onClose={() => setIssuing(false)}
        />
      )}
      <Modal
        open={!!signing}
        title={`${t("ledgers.statements.sign")} · ${signing?.title ?? ""}`}
        okText={t("common.confirm")}
        cancelText={t("common.cancel")}
        onOk={() => signForm.submit()}
        onCancel={() => setSigning(null)}
        confirmLoading={sign.isPending}
        okButtonProps={{ disabled: sign.isPending }}
        destroyOnHidden
      >
        <PayloadErrors errors={problems} failure={failure} onReload={() => { setSigning(null); void list.refetch(); }} />
        <Form form={signForm} layout="vertical" onFinish={submitSign} initialValues={{ signedOn: dayjs() }} preserve={false}>
          <Form.Item name="signedOn" label={t("ledgers.statements.signedOn")} rules={[{ required: true }]}>
            <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
