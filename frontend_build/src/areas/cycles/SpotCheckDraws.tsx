// A cycle's double-random spot-check draws (双随机, 一公开): each draw you may read with its seed,
// strata and targets (weight and why, inspectors), whether it reproduces from its seed; for an
// assessor, a dialog to draw and a button to publish an unpublished draw.
import { CheckCircleOutlined, CloseCircleOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate, unitName } from "../../format";
import {
  CycleSpotCheckDrawsDocument,
  type CycleSpotCheckDrawsQuery,
  CyclesDrawInspectorOptionsDocument,
  CyclesDrawSpotChecksDocument,
  CyclesPublishSpotCheckDrawDocument,
  type TenantKind,
  type TenantLevel,
} from "../../gql/graphql";
import { kindsAt } from "../../kinds";
import { type DrawValues, drawInput, drawScopes, plainWeight, weighsMore } from "./draws";

type Owner = { id: string; code: string; nameZh: string; nameEn: string; ancestors?: readonly { id: string }[] | null };
type Draw = CycleSpotCheckDrawsQuery["spotCheckDraws"]["edges"][number]["node"];
type Target = Draw["targets"][number];

type Props = { cycleId: string; owner: Owner | null; level: TenantLevel; open: boolean };

export function SpotCheckDraws({ cycleId, owner, level, open }: Props) {
  const { t } = useTranslation();
  const { user } = useViewer();
  const query = useGql(CycleSpotCheckDrawsDocument, { cycleId });
  const scopes = drawScopes(user?.roles, owner);
  const draws = query.data?.spotCheckDraws.edges.map((e) => e.node) ?? [];
  return (
    <Card
      title={t("cycles.draws.title")}
      extra={open && scopes.length > 0 && <DrawButton cycleId={cycleId} scopes={scopes} level={level} />}
      data-testid="spot-check-draws"
    >
      <Typography.Paragraph type="secondary">{t("cycles.draws.intro")}</Typography.Paragraph>
      <PayloadErrors failure={query.error} />
      {draws.length === 0 && !query.isLoading && <Empty description={t("cycles.draws.none")} />}
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        {draws.map((draw) => (
          <DrawCard key={draw.id} draw={draw} canPublish={scopes.some((s) => s.id === draw.scope?.id)} />
        ))}
      </Space>
    </Card>
  );
}

function DrawCard({ draw, canPublish }: { draw: Draw; canPublish: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = i18n.language;
  const publish = useGqlMutation(CyclesPublishSpotCheckDrawDocument);
  const [refusal, setRefusal] = useState<UserError[]>([]);
  const kind = (k: TenantKind | null | undefined) => (k ? t(`units.kinds.${k}`) : t("cycles.draws.allUnits"));

  async function publishDraw() {
    setRefusal([]);
    try {
      const payload = (await publish.mutateAsync({ input: { drawId: draw.id } })).publishSpotCheckDraw;
      if (payload.errors.length) setRefusal(payload.errors);
      else message.success(t("cycles.draws.publishedDone"));
    } catch {
      // shown by PayloadErrors
    }
  }

  const columns = [
    { title: t("cycles.draws.columns.kind"), key: "kind", render: (_: unknown, r: Target) => `${kind(r.kind)} ${r.position}` },
    {
      title: t("cycles.draws.columns.unit"),
      key: "unit",
      render: (_: unknown, r: Target) => `${r.unitCode} ${unitName({ nameZh: r.unitNameZh, nameEn: r.unitNameEn }, lang)}`,
    },
    {
      title: t("cycles.draws.columns.weight"),
      key: "weight",
      render: (_: unknown, r: Target) => (
        <Tooltip title={r.reason}>
          <Space size={4}>
            <span>{plainWeight(r.weight)}</span>
            <Typography.Text type={weighsMore(r) ? "warning" : "secondary"}>
              {r.criticisedIn
                ? t("cycles.draws.criticisedIn", { cycle: r.criticisedIn, weight: plainWeight(r.weight) })
                : t("cycles.draws.notCriticised")}
            </Typography.Text>
          </Space>
        </Tooltip>
      ),
    },
    {
      title: t("cycles.draws.columns.inspectors"),
      key: "inspectors",
      render: (_: unknown, r: Target) => (
        <Space size={[4, 4]} wrap>
          {r.inspectors.map((i, index) => (
            <Tag key={`${i.unitCode}-${i.name}`} color={index === 0 ? "blue" : undefined}>
              {i.name}（{i.unitName}）
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t("cycles.draws.columns.review"),
      key: "review",
      render: (_: unknown, r: Target) =>
        r.assessment ? <Link to={`/reviews/${r.assessment.id}`}>{t("cycles.draws.recordFindings")}</Link> : "—",
    },
  ];

  return (
    <Card
      type="inner"
      data-testid="spot-check-draw"
      title={
        <Space wrap>
          <span>{t("cycles.draws.drawn", { seed: draw.seed })}</span>
          {draw.published ? <Tag color="success">{t("cycles.draws.published")}</Tag> : <Tag>{t("cycles.draws.unpublished")}</Tag>}
          {draw.reproduced ? (
            <Tag icon={<CheckCircleOutlined />} color="success">
              {t("cycles.draws.reproduced")}
            </Tag>
          ) : (
            <Tag icon={<CloseCircleOutlined />} color="error">
              {t("cycles.draws.notReproduced")}
            </Tag>
          )}
        </Space>
      }
      extra={
        !draw.published &&
        canPublish && (
          <Popconfirm
            title={t("cycles.draws.publishConfirm", { unit: unitName(draw.scope, lang) })}
            okText={t("common.confirm")}
            cancelText={t("common.cancel")}
            onConfirm={publishDraw}
          >
            <Button type="primary" loading={publish.isPending}>
              {t("cycles.draws.publish")}
            </Button>
          </Popconfirm>
        )
      }
    >
      <PayloadErrors errors={refusal} failure={publish.error} fieldsKey="cycles.draws.fields" />
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t("cycles.draws.seed")}>
          <Typography.Text copyable>{draw.seed}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("cycles.draws.scope")}>{unitName(draw.scope, lang)}</Descriptions.Item>
        <Descriptions.Item label={t("cycles.draws.drawnBy")}>
          {draw.drawnBy?.displayName ?? "—"} · {formatDate(draw.drawnAt, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t("cycles.draws.strata")}>
          {draw.strata
            .map((s) => t("cycles.draws.stratum", { kind: kind(s.kind), count: s.count, candidates: s.candidates }))
            .join("；")}
        </Descriptions.Item>
        <Descriptions.Item label={t("cycles.draws.columns.inspectors")}>
          {t("cycles.draws.perTarget", { count: draw.inspectorsPerTarget })}，
          {t("cycles.draws.criticisedWeight", { weight: plainWeight(draw.criticisedWeight) })}
        </Descriptions.Item>
        {draw.publishedAt && (
          <Descriptions.Item label={t("cycles.draws.publishedAt")}>{formatDate(draw.publishedAt, lang)}</Descriptions.Item>
        )}
      </Descriptions>
      <Table<Target>
        size="small"
        rowKey={(r) => r.unitCode}
        columns={columns}
        dataSource={draw.targets}
        pagination={false}
        scroll={{ x: true }}
      />
    </Card>
  );
}

type Scope = { id: string; code: string; nameZh: string; nameEn: string };

function DrawButton({ cycleId, scopes, level }: { cycleId: string; scopes: Scope[]; level: TenantLevel }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = i18n.language;
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DrawValues>();
  const mode = Form.useWatch("mode", form);
  const inspectors = useGql(CyclesDrawInspectorOptionsDocument, {}, { enabled: open });
  const save = useGqlMutation(CyclesDrawSpotChecksDocument);
  const [rest, setRest] = useState<UserError[]>([]);
  const kindOptions = kindsAt(level).map((k) => ({ value: k, label: t(`units.kinds.${k}`) }));
  const inspectorOptions =
    inspectors.data?.users.edges.map(({ node }) => ({
      value: node.id,
      label: `${node.displayName}（${node.node.code} ${unitName(node.node, lang)}）`,
    })) ?? [];

  async function send(values: DrawValues) {
    setRest([]);
    try {
      const payload = (await save.mutateAsync({ input: drawInput(cycleId, values) })).drawSpotChecks;
      if (payload.errors.length) {
        setRest(showFieldErrors(form, payload.errors));
        return;
      }
      message.success(t("cycles.draws.drawn", { seed: payload.draw?.seed ?? "" }));
      setOpen(false);
    } catch {
      // shown by PayloadErrors
    }
  }

  const required = (field: string) => [{ required: true, message: t("cycles.draws.form.required", { field: t(field) }) }];

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("cycles.draws.draw")}
      </Button>
      <Modal
        open={open}
        title={t("cycles.draws.drawTitle")}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t("cycles.draws.draw")}
        cancelText={t("common.cancel")}
        confirmLoading={save.isPending}
        destroyOnHidden
        width={640}
      >
        <PayloadErrors errors={rest} failure={save.error} fieldsKey="cycles.draws.fields" />
        <Form<DrawValues>
          form={form}
          layout="vertical"
          name="spot-check-draw"
          preserve={false}
          initialValues={{
            scopeId: scopes[0]?.id,
            mode: "strata",
            strata: [{ kind: kindOptions[0]?.value, count: 1 }],
            inspectorsPerTarget: 1,
            criticisedWeight: 2,
          }}
          onFinish={send}
        >
          <Form.Item name="scopeId" label={t("cycles.draws.form.scope")}>
            <Select
              disabled={scopes.length < 2}
              options={scopes.map((s) => ({ value: s.id, label: `${s.code} ${unitName(s, lang)}` }))}
            />
          </Form.Item>
          <Form.Item name="seed" label={t("cycles.draws.form.seed")} extra={t("cycles.draws.form.seedHelp")}>
            <Input maxLength={100} allowClear />
          </Form.Item>
          <Form.Item name="mode" label={t("cycles.draws.form.mode")}>
            <Radio.Group
              options={[
                { value: "strata", label: t("cycles.draws.form.byKind") },
                { value: "total", label: t("cycles.draws.form.total") },
              ]}
            />
          </Form.Item>
          {mode === "total" ? (
            <Form.Item name="targetCount" label={t("cycles.draws.form.targetCount")} rules={required("cycles.draws.form.targetCount")}>
              <InputNumber min={1} max={1000} precision={0} />
            </Form.Item>
          ) : (
            <Form.List name="strata">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline">
                      <Form.Item name={[field.name, "kind"]} label={t("cycles.draws.form.kind")} rules={required("cycles.draws.form.kind")}>
                        <Select options={kindOptions} showSearch optionFilterProp="label" style={{ width: 180 }} aria-label={t("cycles.draws.form.kind")} />
                      </Form.Item>
                      <Form.Item name={[field.name, "count"]} label={t("cycles.draws.form.count")} rules={required("cycles.draws.form.count")}>
                        <InputNumber min={1} max={1000} precision={0} aria-label={t("cycles.draws.form.count")} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} aria-label="remove" />
                    </Space>
                  ))}
                  <Button type="dashed" onClick={() => add({ count: 1 })} icon={<PlusOutlined />} style={{ marginBottom: 16 }}>
                    {t("cycles.draws.form.addStratum")}
                  </Button>
                </>
              )}
            </Form.List>
          )}
          <Form.Item
            name="inspectorIds"
            label={t("cycles.draws.form.inspectors")}
            extra={t("cycles.draws.form.inspectorsHelp")}
            rules={required("cycles.draws.form.inspectors")}
          >
            <Select
              mode="multiple"
              options={inspectorOptions}
              loading={inspectors.isLoading}
              optionFilterProp="label"
              aria-label={t("cycles.draws.form.inspectors")}
            />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="inspectorsPerTarget" label={t("cycles.draws.form.inspectorsPerTarget")}>
              <InputNumber min={1} max={10} precision={0} />
            </Form.Item>
            <Form.Item name="criticisedWeight" label={t("cycles.draws.form.criticisedWeight")}>
              <InputNumber min={1} max={100} step={0.5} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}
