// The province's report letterhead (province admins): issuer, footer, logo (the current one
// shown; a new one uploaded, or none from now on), the wording of the report labels per language,
// and what changed; saved as the next version of the one read (a CONFLICT when someone saved
// meanwhile). Below, every saved version with who saved it, when and why.
import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, Col, Form, Input, Result, Row, Skeleton, Space, Table, Tabs, Tag, Typography, Upload, message } from "antd";
import type { UploadFile } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate } from "../../format";
import {
  type LetterheadFieldsFragment,
  type ReportLanguage,
  ReportsLetterheadDocument,
  ReportsSaveLetterheadDocument,
} from "../../gql/graphql";
import {
  isProvinceAdmin,
  type Label,
  LANGUAGES,
  languageOfField,
  overrideCount,
  type Overrides,
  overridesOf,
  remapWordingErrors,
  wordingInput,
} from "./logic";
import { WordingTable } from "./WordingTable";

type Values = {
  issuer: string;
  footer: string;
  note: string;
  removeLogo: boolean;
  logo?: UploadFile[];
  overrides: Overrides;
};

export function LetterheadPage() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const allowed = isProvinceAdmin(user);
  const query = useGql(ReportsLetterheadDocument, {}, { enabled: allowed });

  if (!allowed) return <Result status="403" title={t("reports.letterheadPage.notAllowed")} />;
  if (query.isLoading) return <Skeleton active />;
  const data = query.data;
  const letterhead = data?.reportLetterhead ?? null;
  const language = i18n.language;

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("reports.letterheadPage.title")}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t("reports.letterheadPage.intro")}</Typography.Paragraph>
      <PayloadErrors failure={query.error} />
      {data && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              letterhead
                ? t("reports.letterheadPage.current", {
                    version: letterhead.version,
                    who: letterhead.savedBy?.displayName ?? "—",
                    when: formatDate(letterhead.savedAt, language),
                  })
                : t("reports.letterheadPage.none")
            }
          />
          <LetterheadForm
            key={letterhead?.version ?? 0}
            letterhead={letterhead}
            labels={data.reportLabels}
            onReload={() => void query.refetch()}
          />
          <History versions={data.reportLetterheadVersions} current={letterhead?.version ?? null} />
        </>
      )}
    </>
  );
}

function LetterheadForm({
  letterhead,
  labels,
  onReload,
}: {
  letterhead: LetterheadFieldsFragment | null;
  labels: readonly Label[];
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useGqlMutation(ReportsSaveLetterheadDocument);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [labelsOf, setLabelsOf] = useState<Record<string, string>>({});
  const [tab, setTab] = useState<ReportLanguage>(i18n.language === "en" ? "EN" : "ZH");
  const picked = Form.useWatch("logo", form);
  const overrides = Form.useWatch("overrides", form) as Overrides | undefined;
  const file = picked?.[0]?.originFileObj ?? null;
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const initial: Values = {
    issuer: letterhead?.issuer ?? "",
    footer: letterhead?.footer ?? "",
    note: "",
    removeLogo: false,
    overrides: overridesOf(letterhead?.wording ?? []),
  };

  async function submit() {
    setErrors([]);
    setFailure(null);
    // Every row's value, the other language's tab included.
    const values = form.getFieldsValue(true) as Values;
    const { wording, fields } = wordingInput(labels, values.overrides);
    const logo = values.logo?.[0]?.originFileObj ?? null;
    try {
      const { saveReportLetterhead: payload } = await save.mutateAsync({
        input: {
          expectedVersion: letterhead?.version ?? 0,
          issuer: values.issuer ?? "",
          footer: values.footer ?? "",
          note: values.note ?? "",
          wording,
          logo,
          removeLogo: !logo && !!values.removeLogo,
        },
      });
      if (payload.letterhead) {
        void message.success(t("reports.letterheadPage.saved", { version: payload.letterhead.version }));
        return;
      }
      const mapped = remapWordingErrors(payload.errors, fields);
      const wrong = mapped.map((e) => languageOfField(e.field)).find((l) => l !== null);
      if (wrong) setTab(wrong);
      // Words for the errors no field shows (a row of a label, say).
      setLabelsOf(
        Object.fromEntries(
          mapped
            .filter((e) => e.field?.startsWith("overrides."))
            .map((e) => {
              const [, language, key] = (e.field ?? "").split(".");
              return [e.field, `${t("reports.letterheadPage.wording")} ${t(`reports.languages.${language}`)} ${key}`];
            }),
        ),
      );
      setErrors(showFieldErrors(form, mapped));
    } catch (error) {
      setFailure(error);
    }
  }

  const hasLogo = !!letterhead?.logoUrl;
  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} aria-label={t("reports.letterheadPage.form")}>
      <PayloadErrors errors={errors} failure={failure} onReload={onReload} fieldsKey="reports.letterheadPage.fields" labels={labelsOf} />
      <Card title={t("reports.letterheadPage.form")} style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Form.Item name="issuer" label={t("reports.letterheadPage.issuer")} extra={t("reports.letterheadPage.issuerHelp")}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="footer" label={t("reports.letterheadPage.footer")} extra={t("reports.letterheadPage.footerHelp")}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="note" label={t("reports.letterheadPage.note")} extra={t("reports.letterheadPage.noteHelp")}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item label={t("reports.letterheadPage.currentLogo")}>
              {hasLogo ? (
                <img className="letterhead-logo" src={letterhead?.logoUrl ?? ""} alt={t("reports.letterheadPage.currentLogo")} />
              ) : (
                <Typography.Text type="secondary">{t("reports.letterheadPage.noLogo")}</Typography.Text>
              )}
            </Form.Item>
            <Form.Item
              name="logo"
              label={t("reports.letterheadPage.newLogo")}
              extra={t("reports.letterheadPage.logoHelp")}
              valuePropName="fileList"
              getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
            >
              <Upload accept="image/png,image/jpeg" maxCount={1} beforeUpload={() => false}>
                <Button icon={<UploadOutlined />}>{t("reports.letterheadPage.chooseLogo")}</Button>
              </Upload>
            </Form.Item>
            {preview && (
              <img className="letterhead-logo" src={preview} alt={t("reports.letterheadPage.newLogo")} style={{ marginBottom: 16 }} />
            )}
            <Form.Item name="removeLogo" valuePropName="checked">
              <Checkbox disabled={!hasLogo || !!file}>{t("reports.letterheadPage.removeLogo")}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title={t("reports.letterheadPage.wording")} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t("reports.letterheadPage.wordingIntro")}</Typography.Paragraph>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as ReportLanguage)}
          items={LANGUAGES.map((l) => {
            const count = overrideCount(labels, overrides ?? initial.overrides, l);
            return {
              key: l,
              forceRender: true,
              label: (
                <Space size={6}>
                  {t(`reports.languages.${l}`)}
                  {count > 0 && <Tag color="blue">{t("reports.letterheadPage.overridden", { count })}</Tag>}
                </Space>
              ),
              children: <WordingTable labels={labels} language={l} />,
            };
          })}
        />
      </Card>
      <Space style={{ marginBottom: 24 }}>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("reports.letterheadPage.save")}
        </Button>
      </Space>
    </Form>
  );
}

function History({ versions, current }: { versions: readonly LetterheadFieldsFragment[]; current: number | null }) {
  const { t, i18n } = useTranslation();
  return (
    <Card title={t("reports.letterheadPage.history")}>
      <Table<LetterheadFieldsFragment>
        className="nowrap-head"
        rowKey="version"
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: true }}
        dataSource={[...versions]}
        locale={{ emptyText: t("reports.letterheadPage.none") }}
        columns={[
          {
            title: t("reports.letterheadPage.version"),
            key: "version",
            render: (_, v) => (
              <Space size={6}>
                {v.version}
                {v.version === current && <Tag color="green">{t("reports.letterheadPage.currentTag")}</Tag>}
              </Space>
            ),
          },
          { title: t("reports.letterheadPage.savedAt"), key: "savedAt", onCell: () => ({ style: { whiteSpace: "nowrap" as const } }), render: (_, v) => formatDate(v.savedAt, i18n.language) },
          { title: t("reports.letterheadPage.savedBy"), key: "savedBy", render: (_, v) => v.savedBy?.displayName ?? "—" },
          { title: t("reports.letterheadPage.note"), dataIndex: "note", render: (n: string) => n || "—" },
          { title: t("reports.letterheadPage.issuer"), dataIndex: "issuer", render: (n: string) => n || "—" },
          { title: t("reports.letterheadPage.footer"), dataIndex: "footer", render: (n: string) => n || "—" },
          {
            title: t("reports.letterheadPage.logo"),
            key: "logo",
            render: (_, v) =>
              v.logoUrl ? <img src={v.logoUrl} alt={`${t("reports.letterheadPage.logo")} ${v.version}`} style={{ maxHeight: 24 }} /> : "—",
          },
          { title: t("reports.letterheadPage.wordingCount"), key: "wording", align: "right", render: (_, v) => v.wording.length },
        ]}
      />
    </Card>
  );
}
