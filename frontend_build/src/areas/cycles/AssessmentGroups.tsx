// A cycle's assessment groups (分类考核): each group's name, code, grade thresholds (its own or
// the template's), commendation quota and units; for the cycle's admin, while no result is
// final, a dialog to split the units into groups (each unit in exactly one) or remove the groups;
// the server's refusals beside the fields they name.
import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import type { Rule } from "antd/es/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatPoints, unitName } from "../../format";
import {
  CycleGroupChoicesDocument,
  CyclesSetGroupsDocument,
  type CycleGroupFragment,
  type Grade,
} from "../../gql/graphql";
import {
  cycleGroupsInput,
  groupErrorLabels,
  groupFormValues,
  type GroupFormValue,
  hasOwnThresholds,
  THRESHOLD_FIELDS,
  type ThresholdField,
  thresholdFields,
  thresholdProblem,
  ungroupedUnits,
  unitsElsewhere,
} from "./logic";

type GradeLevel = { grade: Grade; name?: string | null; minPoints?: string | null };

type Props = {
  cycleId: string;
  groups: readonly CycleGroupFragment[];
  /** The template's grades, best first, with their thresholds. */
  levels: readonly GradeLevel[];
  /** The cycle's admin (the office that opened it). */
  canEdit: boolean;
  /** Why the groups can no longer change (results final, the cycle closed); null: they can. */
  fixed: string | null;
};

/** The words for a grade in this template (一级) or the usual one (优秀). */
function useGradeLabel(levels: readonly GradeLevel[]) {
  const { t } = useTranslation();
  return (grade: Grade) => levels.find((l) => l.grade === grade)?.name || t(`cycles.grades.${grade}`);
}

const gradeOf = (field: ThresholdField): Grade => THRESHOLD_FIELDS.find((f) => f.field === field)!.grade;

/** "优秀 90 · 良好 80 · 合格 60" for the thresholds given. */
function useThresholdText(levels: readonly GradeLevel[]) {
  const { i18n } = useTranslation();
  const label = useGradeLabel(levels);
  return (values: { field: ThresholdField; value: string | number | null | undefined }[]) =>
    values.map(({ field, value }) => `${label(gradeOf(field))} ${formatPoints(value, i18n.language)}`).join(" · ");
}

export function AssessmentGroups({ cycleId, groups, levels, canEdit, fixed }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [editing, setEditing] = useState(false);
  const fields = thresholdFields(levels);
  const thresholdText = useThresholdText(levels);
  const templateValues = thresholdText(
    fields.map((field) => ({ field, value: levels.find((l) => l.grade === gradeOf(field))?.minPoints })),
  );

  const editButton = canEdit && (
    <Tooltip title={fixed}>
      <Button icon={<EditOutlined />} disabled={Boolean(fixed)} onClick={() => setEditing(true)}>
        {t("cycles.groups.edit")}
      </Button>
    </Tooltip>
  );

  return (
    <section aria-label={t("cycles.groups.title")}>
    <Card title={t("cycles.groups.title")} extra={editButton}>
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        {canEdit && fixed && <Alert type="info" showIcon title={fixed} />}
        {groups.length === 0 ? (
          <Typography.Text type="secondary">{t("cycles.groups.none")}</Typography.Text>
        ) : (
          <>
            <Typography.Text type="secondary">{t("cycles.groups.intro")}</Typography.Text>
            <Table<CycleGroupFragment>
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={[...groups]}
              scroll={{ x: 720 }}
              aria-label={t("cycles.groups.title")}
              columns={[
                {
                  key: "name",
                  title: t("cycles.groups.name"),
                  width: 180,
                  render: (_, group) => (
                    <Space orientation="vertical" size={0}>
                      <Typography.Text strong>{group.name}</Typography.Text>
                      <Typography.Text type="secondary">{group.code}</Typography.Text>
                    </Space>
                  ),
                },
                {
                  key: "thresholds",
                  title: t("cycles.groups.thresholds"),
                  width: 240,
                  render: (_, group) =>
                    hasOwnThresholds(group, fields) ? (
                      thresholdText(fields.map((field) => ({ field, value: group[field] })))
                    ) : (
                      <Typography.Text type="secondary">
                        {t("cycles.groups.templateThresholds", { values: templateValues })}
                      </Typography.Text>
                    ),
                },
                {
                  key: "quota",
                  title: t("cycles.groups.quota"),
                  width: 110,
                  render: (_, group) =>
                    group.commendationQuota === null || group.commendationQuota === undefined ? (
                      <Typography.Text type="secondary">{t("cycles.groups.template")}</Typography.Text>
                    ) : (
                      t("cycles.groups.quotaValue", { count: group.commendationQuota })
                    ),
                },
                {
                  key: "units",
                  title: t("cycles.groups.units"),
                  render: (_, group) => (
                    <Space orientation="vertical" size={4}>
                      <Typography.Text>{t("cycles.groups.unitCount", { count: group.units.length })}</Typography.Text>
                      <Space size={[4, 4]} wrap>
                        {group.units.map((unit) => (
                          <Tag key={unit.id} style={{ marginInlineEnd: 0 }}>
                            {unitName(unit, language)}
                          </Tag>
                        ))}
                      </Space>
                    </Space>
                  ),
                },
              ]}
            />
          </>
        )}
      </Space>
      {editing && (
        <GroupsDialog
          cycleId={cycleId}
          groups={groups}
          levels={levels}
          fields={fields}
          templateValues={templateValues}
          onClose={() => setEditing(false)}
        />
      )}
    </Card>
    </section>
  );
}

type DialogProps = {
  cycleId: string;
  groups: readonly CycleGroupFragment[];
  levels: readonly GradeLevel[];
  fields: ThresholdField[];
  templateValues: string;
  onClose: () => void;
};

function GroupsDialog({ cycleId, groups, levels, fields, templateValues, onClose }: DialogProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { message } = App.useApp();
  const [form] = Form.useForm<{ groups: GroupFormValue[] }>();
  const watched = Form.useWatch("groups", form) ?? [];
  const save = useGqlMutation(CyclesSetGroupsDocument);
  const [rest, setRest] = useState<UserError[]>([]);
  const choices = useGql(CycleGroupChoicesDocument, { id: cycleId });
  const gradeLabel = useGradeLabel(levels);
  const node = choices.data?.node;
  const units = node?.__typename === "Cycle" ? node.assessments.edges.map((e) => e.node.unit) : [];
  // The units of the groups it has, in case one is not among the assessments read.
  for (const group of groups) for (const unit of group.units) if (!units.some((u) => u.id === unit.id)) units.push(unit);
  const label = (unit: (typeof units)[number]) => `${unit.code} ${unitName(unit, language)}`;
  const ungrouped = ungroupedUnits(units, watched);

  async function send(values: GroupFormValue[]) {
    setRest([]);
    try {
      const payload = (await save.mutateAsync({ input: cycleGroupsInput(cycleId, values, fields) })).setCycleGroups;
      if (payload.errors.length) {
        // A group's own field beside its input; the rest (the groups as a whole: units in no
        // group, a cycle whose results are final) above the buttons.
        const own = (e: UserError) => /^(input\.)?groups\[\d+\]\.\w+$/.test(e.field ?? "");
        setRest([
          ...payload.errors.filter((e) => !own(e)),
          ...showFieldErrors(form, payload.errors.filter(own)),
        ]);
        return;
      }
      message.success(t(values.length ? "cycles.groups.saved" : "cycles.groups.removed"));
      onClose();
    } catch {
      // shown by PayloadErrors
    }
  }

  const required = (field: string): Rule[] => [
    { required: true, whitespace: true, message: t("cycles.groups.required", { field }) },
  ];

  /** Every grade or none, each above the next: said beside the threshold at fault. */
  const thresholdRule =
    (index: number, at: number): Rule =>
    ({ getFieldValue }) => ({
      validator: (_, value: number | null | undefined) => {
        const group: GroupFormValue = getFieldValue(["groups", index]) ?? {};
        const problem = thresholdProblem(group, fields);
        const empty = value === null || value === undefined;
        if (problem === "partial" && empty) return Promise.reject(new Error(t("cycles.groups.partial")));
        if (problem === "order" && !empty && at > 0) {
          const above = group[fields[at - 1]];
          if (above !== null && above !== undefined && !(above > value)) {
            const names = fields.map((f) => gradeLabel(gradeOf(f))).join(" > ");
            return Promise.reject(new Error(t("cycles.groups.order", { names })));
          }
        }
        return Promise.resolve();
      },
    });

  return (
    <Modal
      open
      title={t("cycles.groups.dialogTitle")}
      onCancel={onClose}
      width={920}
      destroyOnHidden
      footer={
        <Space>
          {groups.length > 0 && (
            <Popconfirm
              title={<div style={{ maxWidth: 320 }}>{t("cycles.groups.ungroupConfirm")}</div>}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              onConfirm={() => send([])}
            >
              <Button danger disabled={save.isPending}>
                {t("cycles.groups.ungroup")}
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t("common.save")}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("cycles.groups.dialogHelp")}</Typography.Paragraph>
      <Form<{ groups: GroupFormValue[] }>
        form={form}
        layout="vertical"
        name="cycle-groups"
        preserve={false}
        disabled={save.isPending}
        initialValues={{ groups: groups.length ? groupFormValues(groups) : [{ unitIds: [] }, { unitIds: [] }] }}
        onFinish={(values) => send(values.groups ?? [])}
      >
        <Form.List name="groups">
          {(items, { add, remove }) => (
            <Space orientation="vertical" size={12} style={{ width: "100%" }}>
              {items.map((item, index) => {
                const taken = unitsElsewhere(watched, index);
                const title = t("cycles.groups.nth", { n: index + 1 });
                return (
                  <Card
                    key={item.key}
                    size="small"
                    title={title}
                    role="group"
                    aria-label={title}
                    extra={
                      <Button
                        type="text"
                        danger
                        size="small"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(item.name)}
                      >
                        {t("cycles.groups.remove")}
                      </Button>
                    }
                  >
                    <div style={{ display: "flex", gap: 12, flexWrap: "wrap" }}>
                      <Form.Item
                        name={[item.name, "code"]}
                        label={t("cycles.groups.fields.code")}
                        rules={[...required(t("cycles.groups.fields.code")), { max: 40 }]}
                        style={{ width: 180 }}
                      >
                        <Input placeholder={t("cycles.groups.codePlaceholder")} />
                      </Form.Item>
                      <Form.Item
                        name={[item.name, "name"]}
                        label={t("cycles.groups.fields.name")}
                        rules={[...required(t("cycles.groups.fields.name")), { max: 200 }]}
                        style={{ flex: 1, minWidth: 220 }}
                      >
                        <Input placeholder={t("cycles.groups.namePlaceholder")} />
                      </Form.Item>
                      <Form.Item
                        name={[item.name, "commendationQuota"]}
                        label={t("cycles.groups.fields.commendationQuota")}
                        tooltip={t("cycles.groups.quotaHelp")}
                        style={{ width: 150 }}
                      >
                        <InputNumber min={0} precision={0} placeholder={t("cycles.groups.template")} style={{ width: "100%" }} />
                      </Form.Item>
                    </div>
                    {fields.length > 0 && (
                      <Form.Item
                        label={t("cycles.groups.thresholds")}
                        extra={t("cycles.groups.thresholdsHelp", { values: templateValues })}
                        style={{ marginBottom: 12 }}
                      >
                        <div style={{ display: "flex", gap: 12, flexWrap: "wrap" }}>
                          {fields.map((field, at) => (
                            <Form.Item
                              key={field}
                              name={[item.name, field]}
                              dependencies={fields.filter((f) => f !== field).map((f) => ["groups", item.name, f])}
                              rules={[thresholdRule(item.name, at)]}
                              style={{ marginBottom: 0, width: 180 }}
                            >
                              <InputNumber
                                min={0}
                                step={1}
                                prefix={gradeLabel(gradeOf(field))}
                                placeholder={t("cycles.groups.template")}
                                aria-label={`${title} ${t(`cycles.groups.fields.${field}`)}`}
                                style={{ width: "100%" }}
                              />
                            </Form.Item>
                          ))}
                        </div>
                      </Form.Item>
                    )}
                    <Form.Item
                      name={[item.name, "unitIds"]}
                      label={t("cycles.groups.fields.unitIds")}
                      style={{ marginBottom: 0 }}
                    >
                      <Select
                        mode="multiple"
                        allowClear
                        loading={choices.isLoading}
                        placeholder={t("cycles.groups.unitsPlaceholder")}
                        showSearch={{ optionFilterProp: "label" }}
                        maxTagCount="responsive"
                        options={units
                          .filter((unit) => !taken.has(unit.id))
                          .map((unit) => ({ value: unit.id, label: label(unit) }))}
                      />
                    </Form.Item>
                  </Card>
                );
              })}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ unitIds: [] })}>
                {t("cycles.groups.add")}
              </Button>
              {choices.isLoading ? null : units.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : ungrouped.length > 0 ? (
                <Alert
                  type="warning"
                  showIcon
                  title={t("cycles.groups.ungrouped", {
                    count: ungrouped.length,
                    names: ungrouped
                      .slice(0, 12)
                      .map((u) => unitName(u, language))
                      .join(language.startsWith("zh") ? "、" : ", ")
                      .concat(ungrouped.length > 12 ? "…" : ""),
                  })}
                />
              ) : (
                <Alert type="success" showIcon title={t("cycles.groups.allGrouped", { count: units.length })} />
              )}
            </Space>
          )}
        </Form.List>
      </Form>
      <div style={{ marginTop: 12 }}>
        <PayloadErrors
          errors={rest}
          failure={save.error}
          labels={groupErrorLabels(Math.max(watched.length, groups.length), t)}
        />
      </div>
    </Modal>
  );
}
