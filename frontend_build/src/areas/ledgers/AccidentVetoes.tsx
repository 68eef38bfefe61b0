// The one-ticket vetoes and yellow cards the accident ledger fires: live on open assessments of
// the unit's subtree, and those kept at finalisation.
import { Card, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { unitName } from "../../format";
import { LedgerVetoesOfUnitDocument } from "../../gql/graphql";
import { vetoRows, type VetoRow } from "./vetoes";
import { PayloadErrors } from "../../components/PayloadErrors";
import { nowrap } from "./cells";

export function AccidentVetoes({ nodeId }: { nodeId: string | null }) {
  const { t, i18n } = useTranslation();
  const query = useGql(
    LedgerVetoesOfUnitDocument,
    { filter: { subtreeOf: nodeId }, first: 200 },
    { enabled: !!nodeId },
  );
  const rows = vetoRows(query.data?.assessments.edges.map((e) => e.node) ?? [], "accident");
  return (
    <Card title={t("ledgers.vetoes.title")} style={{ marginTop: 24 }}>
      <PayloadErrors failure={query.error} />
      <Table<VetoRow>
        aria-label={t("ledgers.vetoes.title")}
        rowKey="key"
        size="small"
        loading={query.isLoading}
        pagination={false}
        scroll={{ x: true }}
        dataSource={rows}
        locale={{ emptyText: t("ledgers.vetoes.none") }}
        columns={[
          { title: t("common.unit"), onCell: nowrap, key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
          { title: t("common.cycle"), dataIndex: "cycle" },
          {
            title: t("ledgers.vetoes.fired"),
            key: "fired",
            onCell: nowrap,
            render: (_, r) =>
              r.yellowCard ? (
                <Tag color="gold">{t("ledgers.vetoes.firesYellow")}</Tag>
              ) : (
                <Tag color="red">{t("ledgers.vetoes.fires")}</Tag>
              ),
          },
          { title: t("ledgers.vetoes.rule"), onCell: nowrap, dataIndex: "rule" },
          { title: t("ledgers.vetoes.reason"), dataIndex: "reason" },
          {
            title: t("common.state"),
            key: "state",
            render: (_, r) => (r.kept ? t("ledgers.vetoes.kept") : t("ledgers.vetoes.live")),
          },
        ]}
      />
    </Card>
  );
}
