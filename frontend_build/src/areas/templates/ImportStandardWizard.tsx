// The wizard that imports an office's own grading standard (.xlsx / .csv): choose the file, check
// its sheet, heading row and column roles, look at the tree and the criteria read (and those left
// for a person), then import it as a draft template of an existing family or a new one.
import { UploadOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { unitName } from "../../format";
import {
  ImportStandardDocument,
  PreviewStandardDocument,
  type StandardColumn,
  type StandardPreviewFieldsFragment,
  TemplateListDocument,
  type UnreadCriteriaFieldsFragment,
} from "../../gql/graphql";
import {
  AUTO_LAYOUT,
  familyOptions,
  isLayoutError,
  type Layout,
  percentRead,
  placeErrors,
  type PreviewItem,
  previewRows,
  STANDARD_COLUMNS,
  statedDiffers,
  withHeaderRow,
  withRole,
  withSheet,
} from "./standards";

type Props = {
  onClose: () => void;
  /** The province writing a new family, chosen first. */
  ownerNodeId: string;
};

type Values = {
  title: string;
  year: number;
  destination: "existing" | "new";
  familyCode?: string;
  familyName?: string;
  ownerNodeId?: string;
};

type Preview = StandardPreviewFieldsFragment;

const ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv";

function ErrorList({ title, errors }: { title: string; errors: readonly UserError[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={title}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {errors.map((e, i) => (
            <li key={i}>{e.field ? `${e.field}: ${e.message}` : e.message}</li>
          ))}
        </ul>
      }
    />
  );
}

export function ImportStandardWizard({ onClose, ownerNodeId }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user } = useViewer();
  const [form] = Form.useForm<Values>();
  const read = useGqlMutation(PreviewStandardDocument, { invalidate: false });
  const save = useGqlMutation(ImportStandardDocument);
  const templates = useGql(TemplateListDocument, { filter: null, first: 500, after: null });

  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [fileMissing, setFileMissing] = useState(false);
  /** The layout of the last reading asked for, and of the last one that succeeded. */
  const [layout, setLayout] = useState<Layout>(AUTO_LAYOUT);
  const [goodLayout, setGoodLayout] = useState<Layout>(AUTO_LAYOUT);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [reading, setReading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [importErrors, setImportErrors] = useState<UserError[]>([]);
  const [headerRowText, setHeaderRowText] = useState<number | null>(null);
  const asked = useRef(0);
  const headerTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (headerTimer.current) clearTimeout(headerTimer.current);
  }, []);

  const provinces = useMemo(
    () =>
      (user?.roles ?? [])
        .filter((g) => g.role === "TEMPLATE_AUTHOR" && g.node.level === "PROVINCE")
        .map((g) => g.node)
        .filter((node, i, all) => all.findIndex((n) => n.id === node.id) === i),
    [user],
  );
  const families = useMemo(
    () =>
      familyOptions(
        templates.data?.templates.edges.map((e) => e.node) ?? [],
        provinces.map((p) => p.id),
      ),
    [templates.data, provinces],
  );

  /** Read the file with a layout; answers to an earlier question than the last are dropped. */
  const runPreview = async (chosen: File, next: Layout): Promise<UserError[] | null> => {
    const mine = ++asked.current;
    setLayout(next);
    setFailure(null);
    setReading(true);
    try {
      const { previewStandard } = await read.mutateAsync({
        input: { file: chosen, sheet: next.sheet, headerRow: next.headerRow, columns: next.columns },
      });
      if (mine !== asked.current) return null;
      if (previewStandard.preview) {
        setPreview(previewStandard.preview);
        setGoodLayout(next);
        setHeaderRowText(previewStandard.preview.headerRow);
        setErrors([]);
        return [];
      }
      setErrors(previewStandard.errors);
      return previewStandard.errors;
    } catch (error) {
      if (mine === asked.current) setFailure(describeFailure(error, t));
      return null;
    } finally {
      if (mine === asked.current) setReading(false);
    }
  };

  const choose = async (chosen: File) => {
    setFile(chosen);
    setFileMissing(false);
    setPreview(null);
    setErrors([]);
    if (!form.getFieldValue("title")) form.setFieldsValue({ title: chosen.name.replace(/\.[^.]+$/, "") });
    const found = await runPreview(chosen, AUTO_LAYOUT);
    // Read, or refused for its layout (fixed in the next step); a bad file stays here.
    if (found && !found.some((e) => e.field === "file" || e.field === "input.file")) setStep(1);
  };

  const placed = placeErrors(errors);
  const attempted = new Map((layout.columns ?? []).map((c) => [c.column, c.role]));
  const shownColumns = (preview?.columns ?? []).map((c) => ({ ...c, role: attempted.get(c.column) ?? c.role }));

  const changeHeaderRow = (value: number | null) => {
    setHeaderRowText(value);
    if (headerTimer.current) clearTimeout(headerTimer.current);
    if (!file || value == null || !Number.isInteger(value) || value < 1) return;
    headerTimer.current = setTimeout(() => void runPreview(file, withHeaderRow(layout, value)), 400);
  };

  const changeRole = (column: number, role: StandardColumn) => {
    if (!file || !preview) return;
    void runPreview(file, withRole(layout, { ...preview, columns: shownColumns }, column, role));
  };

  const submit = async (values: Values) => {
    setImportErrors([]);
    setFailure(null);
    if (!file) return;
    const destination =
      values.destination === "existing"
        ? { familyCode: values.familyCode ?? null }
        : {
            ownerNodeId: values.ownerNodeId ?? ownerNodeId,
            familyCode: values.familyCode?.trim() || null,
            familyName: values.familyName?.trim() || null,
          };
    try {
      const { importStandard } = await save.mutateAsync({
        input: {
          file,
          title: values.title.trim(),
          year: values.year,
          sheet: goodLayout.sheet,
          headerRow: goodLayout.headerRow,
          columns: goodLayout.columns,
          ...destination,
        },
      });
      if (importStandard.errors.length) {
        const layoutErrors = importStandard.errors.filter(isLayoutError);
        const rest = showFieldErrors(
          form,
          importStandard.errors.filter((e) => !isLayoutError(e)),
        );
        setImportErrors([...layoutErrors, ...rest]);
      } else if (importStandard.template) {
        const left = preview?.unread.length ?? 0;
        if (left > 0) message.warning(t("templates.standard.imported", { count: left }), 8);
        else message.success(t("templates.standard.importedAll"));
        onClose();
        navigate(`/templates/${encodeURIComponent(importStandard.template.id)}`);
      }
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  const sheets = preview?.sheets ?? [];
  const canNext =
    !reading &&
    (step === 0
      ? Boolean(file) && (preview !== null || (errors.length > 0 && placed.file.length === 0))
      : step === 1
        ? preview !== null && errors.length === 0
        : step === 2);

  const next = () => {
    if (step === 0 && !file) {
      setFileMissing(true);
      return;
    }
    if (canNext) setStep(step + 1);
  };

  const fileStep = (
    <>
      <Typography.Paragraph type="secondary">{t("templates.standard.hint")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item
          label={t("templates.standard.file")}
          htmlFor="standard-import-file"
          validateStatus={fileMissing || placed.file.length ? "error" : undefined}
          help={fileMissing ? t("templates.standard.fileRequired") : placed.file.length ? placed.file.join("；") : undefined}
        >
          <Upload
            accept={ACCEPT}
            maxCount={1}
            beforeUpload={(chosen) => {
              void choose(chosen);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setPreview(null);
              setErrors([]);
            }}
            fileList={file ? [{ uid: "1", name: file.name, status: "done" }] : []}
          >
            <Button id="standard-import-file" icon={<UploadOutlined />} loading={reading}>
              {t("templates.standard.choose")}
            </Button>
          </Upload>
        </Form.Item>
      </Form>
      {reading && <Spin tip={t("templates.standard.reading")}><div style={{ height: 40 }} /></Spin>}
    </>
  );

  const columnsStep = (
    <>
      <ErrorList title={t("templates.standard.errors")} errors={placed.rest} />
      {errors.length > 0 && preview && (
        <Typography.Paragraph type="secondary">{t("templates.standard.stale")}</Typography.Paragraph>
      )}
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        {preview && (
          <Form.Item label={t("templates.standard.format")}>
            <Tag>{preview.format}</Tag>
          </Form.Item>
        )}
        {(sheets.length > 1 || placed.sheet.length > 0) && (
          <Form.Item
            label={t("templates.standard.sheet")}
            htmlFor="standard-sheet"
            validateStatus={placed.sheet.length ? "error" : undefined}
            help={placed.sheet.length ? placed.sheet.join("；") : undefined}
          >
            <Select
              id="standard-sheet"
              style={{ minWidth: 180 }}
              value={layout.sheet ?? preview?.sheet ?? undefined}
              disabled={reading}
              onChange={(sheet: string) => file && void runPreview(file, withSheet(sheet))}
              options={sheets.map((s) => ({ value: s, label: s }))}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t("templates.standard.headerRow")}
          htmlFor="standard-header-row"
          tooltip={t("templates.standard.headerRowHelp")}
          validateStatus={placed.headerRow.length ? "error" : undefined}
          help={placed.headerRow.length ? placed.headerRow.join("；") : undefined}
        >
          <InputNumber
            id="standard-header-row"
            min={1}
            precision={0}
            value={headerRowText ?? undefined}
            onChange={(value) => changeHeaderRow(typeof value === "number" ? value : null)}
          />
        </Form.Item>
        {reading && <Spin size="small" />}
      </Form>
      {placed.columns.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={placed.columns.join("；")} />
      )}
      <Table
        rowKey="column"
        size="small"
        pagination={false}
        dataSource={shownColumns}
        locale={{ emptyText: t("common.empty") }}
        columns={[
          { title: t("templates.standard.column"), dataIndex: "letter", key: "letter", width: 56 },
          { title: t("templates.standard.heading"), dataIndex: "heading", key: "heading", width: 180 },
          {
            title: t("templates.standard.sample"),
            dataIndex: "sample",
            key: "sample",
            render: (sample: string) => (
              <Typography.Text type="secondary" ellipsis={{ tooltip: sample }} style={{ maxWidth: 420 }}>
                {sample}
              </Typography.Text>
            ),
          },
          {
            title: t("templates.standard.role"),
            key: "role",
            width: 200,
            render: (_, c) => (
              <Select<StandardColumn>
                aria-label={`${t("templates.standard.role")} ${c.letter}`}
                style={{ width: 180 }}
                status={placed.columns.length ? "error" : undefined}
                value={c.role}
                disabled={reading}
                onChange={(role) => changeRole(c.column, role)}
                options={STANDARD_COLUMNS.map((r) => ({ value: r, label: t(`templates.standard.roles.${r}`) }))}
              />
            ),
          },
        ]}
      />
    </>
  );

  const scopeLabel = (scope: string) => t(`templates.clauseScopes.${scope}`);
  const unreadColumns = [
    { title: t("templates.standard.code"), dataIndex: "code", key: "code", width: 80 },
    { title: t("templates.standard.cell"), dataIndex: "cell", key: "cell", width: 100 },
    { title: t("templates.standard.text"), dataIndex: "text", key: "text" },
    {
      title: t("templates.standard.reason"),
      key: "reason",
      width: 260,
      render: (_: unknown, u: UnreadCriteriaFieldsFragment) => t(`templates.standard.reasons.${u.reasonCode}`),
    },
  ];

  const itemDetail = (item: PreviewItem) => (
    <div style={{ paddingLeft: 8 }}>
      {item.clauses.length === 0 && item.kind === "INDICATOR" && (
        <Typography.Text type="secondary">{t("templates.standard.noClauses")}</Typography.Text>
      )}
      {item.clauses.length > 0 && (
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={item.clauses}
          columns={[
            { title: "#", dataIndex: "key", key: "key", width: 48 },
            {
              title: t("templates.standard.clauseKind"),
              key: "kind",
              width: 150,
              render: (_, c) => <Tag color="blue">{t(`templates.clauseKinds.${c.kind}`)}</Tag>,
            },
            {
              title: t("templates.standard.clausePoints"),
              key: "points",
              width: 150,
              render: (_, c) => (
                <span>
                  {c.points}
                  {c.threshold != null && (
                    <Typography.Text type="secondary"> · {t("templates.standard.threshold", { points: c.threshold })}</Typography.Text>
                  )}
                  {c.cap != null && (
                    <Typography.Text type="secondary"> · {t("templates.standard.cap", { points: c.cap })}</Typography.Text>
                  )}
                  {c.repeatFactor != null && (
                    <Typography.Text type="secondary"> · {t("templates.standard.repeatFactor", { factor: c.repeatFactor })}</Typography.Text>
                  )}
                </span>
              ),
            },
            {
              title: t("templates.standard.clauseScope"),
              key: "scope",
              width: 200,
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  {c.scope !== "ITEM" && <Tag color="volcano">{scopeLabel(c.scope)}</Tag>}
                  {c.accidentMeasure && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("templates.standard.accidentMeasure", { measure: t(`templates.accidentMeasures.${c.accidentMeasure}`) })}
                    </Typography.Text>
                  )}
                  {c.accidentClass && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("templates.standard.accidentClass", { class: t(`ledgers.classes.${c.accidentClass}`) })}
                    </Typography.Text>
                  )}
                  {c.fact && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("templates.standard.fact", { fact: c.fact, scope: scopeLabel(c.factScope) })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t("templates.standard.clauseText"), dataIndex: "text", key: "text" },
          ]}
        />
      )}
      {item.unread.length > 0 && (
        <ul style={{ margin: "8px 0 0", paddingLeft: 18 }}>
          {item.unread.map((u, i) => (
            <li key={i}>
              <Tag color="orange">{t("templates.standard.itemUnread")}</Tag>
              <Typography.Text type="secondary">{u.cell}</Typography.Text> {u.text}{" "}
              <Typography.Text type="warning">（{t(`templates.standard.reasons.${u.reasonCode}`)}）</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  // An element stating other points than its items add up to is worded here from the tree; any
  // other warning the server gives is shown as it says it.
  const mismatched = preview ? preview.items.filter(statedDiffers) : [];
  const warnings = [
    ...mismatched.map((item) =>
      t("templates.standard.statedWarning", {
        cell: item.cell,
        title: item.title,
        stated: item.statedPoints,
        sum: item.maxPoints,
      }),
    ),
    ...(preview?.warnings ?? [])
      .filter((w) => !mismatched.some((item) => item.cell === w.field))
      .map((w) => (w.field ? `${w.field}: ${w.message}` : w.message)),
  ];

  const previewStep = preview && (
    <>
      <Space size="large" wrap style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t("templates.standard.totalPoints", { points: preview.totalPoints })}</Typography.Text>
        <Typography.Text>
          {t("templates.standard.readCount", {
            read: preview.fragmentsRead,
            total: preview.fragments,
            percent: percentRead(preview.fragmentsRead, preview.fragments),
          })}
        </Typography.Text>
      </Space>
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("templates.standard.warnings")}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
      <Table<PreviewItem & { key: string }>
        size="small"
        pagination={false}
        scroll={{ y: 360 }}
        dataSource={previewRows(preview.items)}
        aria-label={t("templates.standard.steps.preview")}
        expandable={{
          expandedRowRender: itemDetail,
          rowExpandable: (item) => item.clauses.length > 0 || item.unread.length > 0,
        }}
        columns={[
          { title: t("templates.standard.code"), dataIndex: "code", key: "code", width: 90 },
          {
            title: t("templates.standard.itemTitle"),
            key: "title",
            render: (_, item) => (
              <span style={{ paddingLeft: item.depth * 20, fontWeight: item.kind === "CATEGORY" ? 600 : undefined }}>
                {item.title}
              </span>
            ),
          },
          {
            title: t("templates.standard.points"),
            key: "points",
            width: 150,
            render: (_, item) => (
              <span>
                {item.maxPoints}
                {statedDiffers(item) && (
                  <Typography.Text type="danger" style={{ marginLeft: 6 }}>
                    {t("templates.standard.stated", { points: item.statedPoints })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: t("templates.standard.method"),
            key: "method",
            width: 100,
            render: (_, item) => (item.method ? t(`templates.methods.${item.method}`) : "—"),
          },
          {
            title: t("templates.standard.clauses"),
            key: "clauses",
            width: 120,
            render: (_, item) =>
              item.kind === "CATEGORY" ? (
                "—"
              ) : (
                <Space size={4}>
                  <span>{item.clauses.length}</span>
                  {item.unread.length > 0 && (
                    <Tag color="orange">
                      {t("templates.standard.itemUnread")} {item.unread.length}
                    </Tag>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("templates.standard.unreadTitle", { count: preview.unread.length })}
      </Typography.Title>
      {preview.unread.length === 0 ? (
        <Typography.Text type="success">{t("templates.standard.noUnread")}</Typography.Text>
      ) : (
        <Table<UnreadCriteriaFieldsFragment>
          size="small"
          rowKey={(u) => `${u.cell}:${u.text}`}
          pagination={false}
          scroll={{ y: 240 }}
          dataSource={preview.unread}
          columns={unreadColumns}
          aria-label={t("templates.standard.unreadTitle", { count: preview.unread.length })}
        />
      )}
    </>
  );

  const required = (key: string) => [{ required: true, message: t("templates.create.required", { field: t(key) }) }];
  const destination = Form.useWatch("destination", form);
  const importStep = (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      style={{ maxWidth: 560, display: step === 3 ? undefined : "none" }}
      initialValues={{ year: new Date().getFullYear(), destination: "new", ownerNodeId }}
    >
      <Form.Item name="title" label={t("templates.standard.templateTitle")} rules={required("templates.standard.templateTitle")}>
        <Input />
      </Form.Item>
      <Form.Item name="year" label={t("templates.standard.year")} rules={required("templates.standard.year")}>
        <InputNumber min={2000} max={2100} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="destination" label={t("templates.standard.destination")}>
        <Radio.Group
          onChange={() => form.setFieldsValue({ familyCode: undefined })}
          options={[
            { value: "existing", label: t("templates.standard.existingFamily"), disabled: families.length === 0 },
            { value: "new", label: t("templates.standard.newFamily") },
          ]}
        />
      </Form.Item>
      {destination === "existing" ? (
        <Form.Item
          name="familyCode"
          label={t("templates.standard.family")}
          extra={t("templates.standard.familyHelp")}
          rules={required("templates.standard.family")}
        >
          <Select
            showSearch={{ optionFilterProp: "label" }}
            loading={templates.isLoading}
            notFoundContent={t("templates.standard.noFamilies")}
            options={families.map((f) => ({ value: f.code, label: `${f.name}（${f.code}）` }))}
          />
        </Form.Item>
      ) : (
        <>
          {provinces.length > 1 && (
            <Form.Item name="ownerNodeId" label={t("templates.standard.owner")} rules={required("templates.standard.owner")}>
              <Select options={provinces.map((p) => ({ value: p.id, label: unitName(p, i18n.language) }))} />
            </Form.Item>
          )}
          <Form.Item
            name="familyCode"
            label={t("templates.create.familyCode")}
            extra={t("templates.create.familyCodeHelp")}
            rules={required("templates.create.familyCode")}
          >
            <Input />
          </Form.Item>
          <Form.Item name="familyName" label={t("templates.create.familyName")} rules={required("templates.create.familyName")}>
            <Input />
          </Form.Item>
        </>
      )}
    </Form>
  );

  const steps = ["file", "columns", "preview", "import"] as const;
  return (
    <Modal
      open
      title={t("templates.standard.title")}
      width={1100}
      style={{ top: 24 }}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t("templates.standard.prev")}</Button>}
          {step < 3 ? (
            <Button type="primary" disabled={!canNext && !(step === 0 && !file)} onClick={next}>
              {t("templates.standard.next")}
            </Button>
          ) : (
            <Button type="primary" loading={save.isPending} disabled={save.isPending} onClick={() => form.submit()}>
              {t("templates.standard.submit")}
            </Button>
          )}
        </Space>
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 20 }}
        items={steps.map((s) => ({ title: t(`templates.standard.steps.${s}`) }))}
      />
      {step === 0 && fileStep}
      {step === 1 && columnsStep}
      {step === 2 && previewStep}
      {step === 3 && <ErrorList title={t("templates.standard.importErrors")} errors={importErrors} />}
      {importStep}
      {failure && <Alert type="error" showIcon style={{ marginTop: 12 }} title={failure} />}
    </Modal>
  );
}
