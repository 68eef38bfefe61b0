// One unit: code, names, level, kind, parent and where it sits, its users with their roles;
// admins create a unit below it or edit and move it.
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Breadcrumb, Button, Card, Descriptions, Space, Spin, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { formatNumber, unitName } from "../../format";
import { UnitsDetailDocument } from "../../gql/graphql";
import { CreateUnitModal } from "./CreateUnitModal";
import { EditUnitModal } from "./EditUnitModal";
import { administers } from "./logic";
import { UnitUsers } from "./UnitUsers";

/** The units screen with this unit chosen. */
export const unitHref = (id: string) => `/units?unit=${encodeURIComponent(id)}`;

type Props = { id: string; onSelect: (id: string) => void; onTreeChanged: () => void };

export function UnitDetails({ id, onSelect, onTreeChanged }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useViewer();
  const [dialog, setDialog] = useState<"create" | "edit" | null>(null);
  const query = useGql(UnitsDetailDocument, { id });

  if (query.isLoading) return <Card><Spin /></Card>;
  if (query.error) return <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} />;
  const unit = query.data?.node?.__typename === "Tenant" ? query.data.node : null;
  if (!unit) return <Alert type="warning" showIcon role="alert" title={t("units.detail.notFound")} />;
  // Changes are offered where the user is an admin; the server still decides (and says why not).
  const admin = administers(user?.roles, unit);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={
          <Space orientation="vertical" size={0}>
            <Breadcrumb
              items={unit.ancestors.map((a) => ({
                title: <Link to={unitHref(a.id)}>{unitName(a, lang)}</Link>,
              }))}
            />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {unitName(unit, lang)}
            </Typography.Title>
          </Space>
        }
        extra={
          admin && (
            <Space wrap>
              <Button icon={<PlusOutlined />} onClick={() => setDialog("create")}>
                {t("units.create.button")}
              </Button>
              {unit.parent && (
                <Button icon={<EditOutlined />} onClick={() => setDialog("edit")}>
                  {t("units.edit.button")}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} aria-label={t("units.detail.title")}>
          <Descriptions.Item label={t("units.detail.code")}>{unit.code}</Descriptions.Item>
          <Descriptions.Item label={t("units.detail.level")}>{t(`levels.${unit.level}`)}</Descriptions.Item>
          <Descriptions.Item label={t("units.detail.nameZh")}>{unit.nameZh}</Descriptions.Item>
          <Descriptions.Item label={t("units.detail.nameEn")}>{unit.nameEn || "—"}</Descriptions.Item>
          <Descriptions.Item label={t("units.detail.kind")}>{t(`units.kinds.${unit.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t("units.detail.parent")}>
            {unit.parent ? (
              <Link to={unitHref(unit.parent.id)}>
                {unitName(unit.parent, lang)} ({unit.parent.code})
              </Link>
            ) : (
              "—"
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("units.detail.children")}>
            {formatNumber(unit.children.totalCount, lang)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <UnitUsers nodeId={unit.id} unit={unitName(unit, lang)} admin={admin} />
      {admin && (
        <>
          <CreateUnitModal
            open={dialog === "create"}
            parent={unit}
            onClose={() => setDialog(null)}
            onCreated={(created) => {
              onTreeChanged();
              onSelect(created);
            }}
          />
          <EditUnitModal
            open={dialog === "edit"}
            unit={unit}
            onClose={() => setDialog(null)}
            onSaved={onTreeChanged}
          />
        </>
      )}
    </Space>
  );
}
