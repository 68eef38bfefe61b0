// The selected category or indicator: its fields, its method's parameters, and the buttons that
// add below it, move it among its siblings or remove it.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, Col, Input, Popconfirm, Row, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import { BandsFields } from "./BandsFields";
import { Field, domId, useEditor } from "./Field";
import { MethodFields } from "./MethodFields";
import { type ItemNode, MAX_DEPTH, REQUIREMENT_MAX } from "./model";
import { childrenSum, samePoints } from "./tree";

type Props = {
  node: ItemNode;
  /** Its API path, e.g. content.items[0].children[1]. */
  path: string;
  depth: number;
  /** A city's local template: only indicators under local categories may be added. */
  extension: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onChange: (patch: Partial<ItemNode>) => void;
  onAdd: (kind: ItemNode["kind"]) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
};

export function ItemPanel(props: Props) {
  const { node, path, depth, extension, onChange } = props;
  const { t, i18n } = useTranslation();
  const { readOnly, problems } = useEditor();
  const disabled = readOnly || node.locked;
  const category = node.kind === "CATEGORY";
  const sum = childrenSum(node);
  const name = `${node.code} ${node.title}`.trim();
  const own = problems.get(path) ?? [];
  const text = (field: keyof ItemNode, label: string, decimal = false) => (
    <Field path={`${path}.${field}`} id={domId(`${path}.${field}`)} label={label} also={field === "maxPoints" ? own : []}
      extra={
        field === "maxPoints" && category ? (
          <Typography.Text type={samePoints(sum, node.maxPoints) ? "secondary" : "warning"}>
            {t("templates.editor.itemsSum", { sum: formatPoints(sum, i18n.language) })}
          </Typography.Text>
        ) : undefined
      }
    >
      <Input
        id={domId(`${path}.${field}`)}
        inputMode={decimal ? "decimal" : undefined}
        disabled={disabled}
        value={node[field] as string}
        onChange={(e) => onChange({ [field]: e.target.value })}
      />
    </Field>
  );
  const check = (field: "bonus" | "local" | "required", label: string, extra?: string) => (
    <Field path={`${path}.${field}`} id={domId(`${path}.${field}`)} label={label} extra={extra}>
      <Checkbox id={domId(`${path}.${field}`)} disabled={disabled} checked={node[field]} onChange={(e) => onChange({ [field]: e.target.checked })} />
    </Field>
  );
  const mayAddIndicator = !readOnly && category && (!extension || node.local);
  const mayAddCategory = !readOnly && category && !extension && depth < MAX_DEPTH;

  return (
    <Card
      size="small"
      title={
        <Space>
          <Tag color={category ? "blue" : "purple"}>{category ? t("templates.editor.category") : t("templates.editor.indicator")}</Tag>
          <span>{name || "—"}</span>
        </Space>
      }
      extra={
        !readOnly && (
          <Space wrap size={4}>
            <Button size="small" icon={<ArrowUpOutlined />} disabled={node.locked || !props.canMoveUp} onClick={() => props.onMove(-1)}>
              {t("templates.editor.moveUp")}
            </Button>
            <Button size="small" icon={<ArrowDownOutlined />} disabled={node.locked || !props.canMoveDown} onClick={() => props.onMove(1)}>
              {t("templates.editor.moveDown")}
            </Button>
            <Popconfirm
              title={t("templates.editor.removeConfirm", { name })}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              onConfirm={props.onRemove}
              disabled={node.locked}
            >
              <Button size="small" danger icon={<DeleteOutlined />} disabled={node.locked}>
                {t("templates.editor.remove")}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {node.locked && !readOnly && <Alert type="info" showIcon title={t("templates.editor.locked")} style={{ marginBottom: 12 }} />}
      <Row gutter={12}>
        <Col xs={24} sm={8} md={6}>{text("code", t("templates.editor.code"))}</Col>
        <Col xs={24} sm={16} md={12}>{text("title", t("templates.editor.itemTitle"))}</Col>
        <Col xs={24} sm={8} md={6}>{text("maxPoints", t("templates.editor.maxPoints"), true)}</Col>
      </Row>
      <Field path={`${path}.requirement`} id={domId(`${path}.requirement`)} label={t("templates.editor.requirement")}>
        <Input.TextArea
          id={domId(`${path}.requirement`)}
          disabled={disabled}
          autoSize={{ minRows: 2, maxRows: 10 }}
          maxLength={REQUIREMENT_MAX}
          showCount
          value={node.requirement}
          onChange={(e) => onChange({ requirement: e.target.value })}
        />
      </Field>
      <Field path={`${path}.criteria`} id={domId(`${path}.criteria`)} label={t("templates.editor.criteria")}>
        <Input.TextArea
          id={domId(`${path}.criteria`)}
          disabled={disabled}
          autoSize={{ minRows: 2, maxRows: 6 }}
          value={node.criteria}
          onChange={(e) => onChange({ criteria: e.target.value })}
        />
      </Field>
      {category ? (
        <Row gutter={12}>
          <Col xs={12}>{check("bonus", t("templates.editor.bonus"))}</Col>
          <Col xs={12}>{check("local", t("templates.editor.local"))}</Col>
        </Row>
      ) : (
        <>
          {check("required", t("templates.editor.required"), t("templates.editor.requiredHelp"))}
          <MethodFields node={node} path={path} disabled={disabled} onChange={onChange} />
        </>
      )}
      <Card size="small" type="inner" title={t("templates.editor.itemBands")} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t("templates.editor.itemBandsHelp")}</Typography.Paragraph>
        <BandsFields bands={node.bands} path={`${path}.bands`} disabled={disabled} onChange={(bands) => onChange({ bands })} />
      </Card>
      {(mayAddIndicator || mayAddCategory) && (
        <Space wrap>
          {mayAddIndicator && (
            <Button icon={<PlusOutlined />} onClick={() => props.onAdd("INDICATOR")}>
              {t("templates.editor.addIndicator")}
            </Button>
          )}
          {mayAddCategory && (
            <Button icon={<PlusOutlined />} onClick={() => props.onAdd("CATEGORY")}>
              {t("templates.editor.addSubcategory")}
            </Button>
          )}
        </Space>
      )}
    </Card>
  );
}
