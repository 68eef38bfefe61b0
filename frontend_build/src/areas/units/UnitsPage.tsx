// The units screen: the tree (or search results) on the left, the chosen unit's details, users
// and the admin's changes on the right; the chosen unit is kept in the address (?unit=).
import { Card, Col, Form, Input, Row, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { UnitsDetailDocument } from "../../gql/graphql";
import { UnitDetails } from "./UnitDetails";
import { UnitSearchResults } from "./UnitSearchResults";
import { UnitTree } from "./UnitTree";

export function UnitsPage() {
  const { t } = useTranslation();
  const { user } = useViewer();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState("");
  const [treeVersion, setTreeVersion] = useState(0);
  const selectedId = params.get("unit") ?? user?.node.id ?? null;

  const select = (id: string) => setParams({ unit: id });
  // The same query as the details panel (one request): its ancestors open the tree down to it.
  const chosen = useGql(UnitsDetailDocument, { id: selectedId ?? "" }, { enabled: !!selectedId });
  const node = chosen.data?.node;
  const reveal = node?.__typename === "Tenant" ? node.ancestors.map((a) => a.id) : [];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10} xl={9}>
        <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t("units.title")}</Typography.Title>}>
          <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
            <Form.Item label={t("units.search")} htmlFor="units-search">
              <Input.Search
                id="units-search"
                allowClear
                placeholder={t("units.searchPlaceholder")}
                enterButton={t("common.search")}
                onSearch={(value) => setSearch(value.trim())}
              />
            </Form.Item>
          </Form>
          {search ? (
            <>
              <Typography.Title level={5}>{t("units.searchResults")}</Typography.Title>
              <UnitSearchResults key={search} search={search} onSelect={select} />
            </>
          ) : (
            <UnitTree selectedId={selectedId} onSelect={select} version={treeVersion} reveal={reveal} />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={14} xl={15}>
        {selectedId ? (
          <UnitDetails id={selectedId} onSelect={select} onTreeChanged={() => setTreeVersion((v) => v + 1)} />
        ) : (
          <Card>
            <Typography.Text type="secondary">{t("units.pick")}</Typography.Text>
          </Card>
        )}
      </Col>
    </Row>
  );
}
