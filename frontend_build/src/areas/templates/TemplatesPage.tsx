// The list of the province's templates: state, family, what it extends, and what can be done
// with each (open, new version, extend locally, download Excel); new and imported templates.
import { DownloadOutlined, FileExcelOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Popconfirm, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, unitName } from "../../format";
import {
  ExtendTemplateDocument,
  type TemplateRowFragment,
  type TemplateState,
  TemplateListDocument,
} from "../../gql/graphql";
import { authorUnit } from "./authors";
import { CreateTemplateModal } from "./CreateTemplateModal";
import { ImportStandardWizard } from "./ImportStandardWizard";
import { ImportTemplateModal } from "./ImportTemplateModal";
import { NewVersionModal } from "./NewVersionModal";
import { StateTag } from "./StateTag";

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });
const STATES: TemplateState[] = ["DRAFT", "PUBLISHED", "ARCHIVED"];

export function TemplatesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [state, setState] = useState<TemplateState | null>(null);
  const [dialog, setDialog] = useState<"create" | "import" | "standard" | { copy: string } | null>(null);
  const query = useGql(TemplateListDocument, {
    filter: state ? { state } : null,
    first: paging.first,
    after: paging.after,
  });
  const extend = useGqlMutation(ExtendTemplateDocument);
  const province = authorUnit(user, "PROVINCE");
  const city = authorUnit(user, "CITY");
  const author = hasRole(user, ["TEMPLATE_AUTHOR"]);
  const rows = query.data?.templates.edges.map((e) => e.node) ?? [];

  const extendLocally = async (row: TemplateRowFragment) => {
    if (!city) return;
    try {
      const { extendTemplate } = await extend.mutateAsync({ input: { baseId: row.id, ownerNodeId: city.id } });
      if (extendTemplate.errors.length) message.error(extendTemplate.errors.map((e) => e.message).join("；"));
      else if (extendTemplate.template) navigate(`/templates/${encodeURIComponent(extendTemplate.template.id)}`);
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  };

  const actions = (row: TemplateRowFragment) => (
    <Space orientation="vertical" size={0} align="start">
      <Link to={`/templates/${encodeURIComponent(row.id)}`}>
        {row.state === "DRAFT" && author ? t("templates.list.open") : t("templates.list.view")}
      </Link>
      {author && row.state !== "DRAFT" && !row.extends && province && (
        <Button size="small" type="link" style={{ padding: 0 }} onClick={() => setDialog({ copy: row.id })}>
          {t("templates.list.newVersion")}
        </Button>
      )}
      {city && row.state === "PUBLISHED" && !row.extends && (
        <Popconfirm
          title={t("templates.list.extendConfirm", { unit: unitName(city, i18n.language) })}
          okText={t("common.confirm")}
          cancelText={t("common.cancel")}
          onConfirm={() => extendLocally(row)}
        >
          <Button size="small" type="link" style={{ padding: 0 }} disabled={extend.isPending}>
            {t("templates.list.extend")}
          </Button>
        </Popconfirm>
      )}
      <a href={row.excelUrl} download aria-label={`${t("templates.list.downloadExcel")} ${row.title}`}>
        <DownloadOutlined /> {t("templates.list.downloadExcel")}
      </a>
    </Space>
  );

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t("templates.title")}</Typography.Title>}
      extra={
        province && (
          <Space wrap>
            <Button icon={<UploadOutlined />} onClick={() => setDialog("import")}>
              {t("templates.list.import")}
            </Button>
            <Button icon={<FileExcelOutlined />} onClick={() => setDialog("standard")}>
              {t("templates.list.importStandard")}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog("create")}>
              {t("templates.list.create")}
            </Button>
          </Space>
        )
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("templates.list.filterState")} htmlFor="templates-state">
          <Select
            id="templates-state"
            allowClear
            style={{ width: 160 }}
            placeholder={t("common.all")}
            value={state ?? undefined}
            onChange={(value?: TemplateState) => {
              setState(value ?? null);
              paging.reset();
            }}
            options={STATES.map((s) => ({ value: s, label: t(`templates.states.${s}`) }))}
          />
        </Form.Item>
      </Form>
      {query.error && <Alert type="error" showIcon title={describeFailure(query.error, t)} style={{ marginBottom: 16 }} />}
      <Table<TemplateRowFragment>
        rowKey="id"
        loading={query.isLoading}
        dataSource={rows}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("common.empty") }}
        pagination={paging.pagination(query.data?.templates.totalCount, query.data?.templates.pageInfo)}
        columns={[
          {
            title: t("templates.list.columnTitle"),
            key: "title",
            width: 190,
            render: (_, row) => <Link to={`/templates/${encodeURIComponent(row.id)}`}>{row.title}</Link>,
          },
          { title: t("templates.list.year"), dataIndex: "year", key: "year", width: 64, onHeaderCell: nowrap },
          {
            title: t("templates.list.version"),
            key: "version",
            width: 72,
            onHeaderCell: nowrap,
            onCell: nowrap,
            render: (_, row) => t("templates.list.versionLabel", { version: row.version }),
          },
          {
            title: t("common.state"),
            key: "state",
            width: 110,
            onHeaderCell: nowrap,
            render: (_, row) => (
              <Space orientation="vertical" size={0}>
                <StateTag state={row.state} />
                {row.state === "PUBLISHED" && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} title={t("templates.list.publishedAt")}>
                    {formatDate(row.publishedAt, i18n.language)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t("templates.list.family"),
            key: "family",
            width: 170,
            render: (_, row) => (
              <span>
                {row.family.name} <Typography.Text type="secondary">({row.family.code})</Typography.Text>
              </span>
            ),
          },
          {
            title: t("templates.list.extends"),
            key: "extends",
            width: 150,
            render: (_, row) =>
              row.extends ? (
                <Link to={`/templates/${encodeURIComponent(row.extends.id)}`}>
                  {row.extends.title} · {t("templates.list.versionLabel", { version: row.extends.version })}
                </Link>
              ) : (
                "—"
              ),
          },
          { title: t("templates.list.owner"), key: "owner", onHeaderCell: nowrap, onCell: nowrap, render: (_, row) => unitName(row.owner, i18n.language) },
          { title: t("common.actions"), key: "actions", width: 130, onHeaderCell: nowrap, onCell: nowrap, render: (_, row) => actions(row) },
        ]}
      />
      {dialog === "create" && province && <CreateTemplateModal ownerNodeId={province.id} onClose={() => setDialog(null)} />}
      {dialog === "import" && province && <ImportTemplateModal ownerNodeId={province.id} onClose={() => setDialog(null)} />}
      {dialog === "standard" && province && <ImportStandardWizard ownerNodeId={province.id} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === "object" && <NewVersionModal templateId={dialog.copy} onClose={() => setDialog(null)} />}
    </Card>
  );
}
