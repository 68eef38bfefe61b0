// The outline of categories and indicators: pick one to edit; problems marked on their node.
import { ExclamationCircleFilled, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Space, Tree, Typography } from "antd";
import type { DataNode } from "antd/es/tree";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import { useEditor } from "./Field";
import type { ItemNode } from "./model";
import { apiPath, nodeProblems } from "./tree";

type Props = {
  items: ItemNode[];
  selected: string | null;
  onSelect: (key: string) => void;
  /** Add a top category (bonus or not); absent when none may be added. */
  onAddTop?: (bonus: boolean) => void;
};

export function ItemTree({ items, selected, onSelect, onAddTop }: Props) {
  const { t, i18n } = useTranslation();
  const { problems } = useEditor();
  // Every category open unless the reader folded it (fresh keys after a reload open again).
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const allKeys = (nodes: ItemNode[]): string[] => nodes.flatMap((n) => (n.children.length ? [n.key, ...allKeys(n.children)] : []));
  const expanded = allKeys(items).filter((k) => !folded.has(k));
  const build = (nodes: ItemNode[], parent: number[]): DataNode[] =>
    nodes.map((node, i) => {
      const path = [...parent, i];
      const count = nodeProblems(problems, apiPath(path)).length;
      return {
        key: node.key,
        title: (
          <span data-testid={`node-${node.code}`}>
            {count > 0 && <ExclamationCircleFilled style={{ color: "#cf1322", marginRight: 4 }} aria-label={t("templates.editor.hasProblems")} />}
            <Typography.Text strong={node.kind === "CATEGORY"}>
              {node.code} {node.title || "—"}
            </Typography.Text>{" "}
            <Typography.Text type="secondary">
              {formatPoints(node.maxPoints, i18n.language)}
              {node.kind === "INDICATOR" && node.method ? ` · ${t(`templates.methods.${node.method}`)}` : ""}
            </Typography.Text>
          </span>
        ),
        children: build(node.children, path),
      };
    });
  return (
    <Card
      size="small"
      title={t("templates.editor.tree")}
    >
      {onAddTop && (
        <Space wrap size={4} style={{ marginBottom: 8 }}>
          <Button size="small" icon={<PlusOutlined />} onClick={() => onAddTop(false)}>
            {t("templates.editor.addCategory")}
          </Button>
          <Button size="small" icon={<PlusOutlined />} onClick={() => onAddTop(true)}>
            {t("templates.editor.addBonusCategory")}
          </Button>
        </Space>
      )}
      {items.length === 0 ? (
        <Empty description={t("templates.editor.noItems")} />
      ) : (
        <Tree
          blockNode
          expandedKeys={expanded}
          onExpand={(keys) => setFolded(new Set(allKeys(items).filter((k) => !keys.includes(k))))}
          selectedKeys={selected ? [selected] : []}
          onSelect={(keys) => keys[0] !== undefined && onSelect(String(keys[0]))}
          treeData={build(items, [])}
        />
      )}
    </Card>
  );
}
