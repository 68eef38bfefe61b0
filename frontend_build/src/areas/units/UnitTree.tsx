// The unit tree: the top of what the user sees, each unit's children fetched when it is opened
// (a page at a time, with a "load more" entry), refreshed when a unit is created or moved.
import { Alert, Spin, Tree, Typography } from "antd";
import type { DataNode, EventDataNode } from "antd/es/tree";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { request } from "../../api/client";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { unitName } from "../../format";
import { type UnitsTreeNodeFragment, UnitsChildrenDocument } from "../../gql/graphql";

const PAGE = 100;
const MORE = "more:";

type Children = { units: UnitsTreeNodeFragment[]; endCursor: string | null; left: number };

type Props = {
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Changes when units were created or moved: the opened units' children are read again. */
  version: number;
  /** Units to open (the chosen unit's ancestors), so the chosen one shows in the tree. */
  reveal: string[];
};

export function UnitTree({ selectedId, onSelect, version, reveal }: Props) {
  const { t, i18n } = useTranslation();
  const root = useGql(UnitsChildrenDocument, { filter: null, first: 1 });
  const [children, setChildren] = useState<Record<string, Children>>({});
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const loaded = useRef(children);
  loaded.current = children;

  const load = useCallback(async (parentId: string, after: string | null = null) => {
    try {
      const data = await request(UnitsChildrenDocument, { filter: { parentId }, first: PAGE, after });
      const page = data.tenants;
      setChildren((known) => {
        const before = after ? (known[parentId]?.units ?? []) : [];
        const units = [...before, ...page.edges.map((e) => e.node)];
        return { ...known, [parentId]: { units, endCursor: page.pageInfo.endCursor ?? null, left: page.totalCount - units.length } };
      });
    } catch (error) {
      setFailure(error);
    }
  }, []);

  const top = root.data?.tenants.edges[0]?.node ?? null;
  const revealKey = reveal.join(",");
  useEffect(() => {
    if (!top) return;
    const wanted = [top.id, ...(revealKey ? revealKey.split(",") : [])];
    setExpanded((keys) => [...new Set([...keys, ...wanted])]);
  }, [top, revealKey]);

  useEffect(() => {
    if (version === 0) return;
    // Read again every unit's children that were shown (one request per opened unit).
    for (const parentId of Object.keys(loaded.current)) void load(parentId);
  }, [version, load]);

  if (root.isLoading) return <Spin />;
  if (root.error || failure) {
    return <Alert type="error" showIcon role="alert" title={describeFailure(root.error ?? failure, t)} />;
  }
  if (!top) return <Typography.Text type="secondary">{t("common.empty")}</Typography.Text>;

  const toNode = (unit: UnitsTreeNodeFragment): DataNode => {
    const known = children[unit.id];
    const nodes: DataNode[] | undefined = known?.units.map(toNode);
    if (known && known.left > 0) {
      nodes?.push({
        key: `${MORE}${unit.id}`,
        isLeaf: true,
        title: <Typography.Link>{t("units.loadMore", { count: known.left })}</Typography.Link>,
      });
    }
    return {
      key: unit.id,
      isLeaf: unit.children.totalCount === 0,
      title: (
        <span>
          {unitName(unit, i18n.language)} <Typography.Text type="secondary">{unit.code}</Typography.Text>
        </span>
      ),
      children: nodes,
    };
  };

  return (
    <Tree
      aria-label={t("units.tree")}
      showLine
      blockNode
      treeData={[toNode(top)]}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys)}
      loadedKeys={Object.keys(children)}
      selectedKeys={selectedId ? [selectedId] : []}
      loadData={(node: EventDataNode<DataNode>) => load(String(node.key))}
      onSelect={(_, { node }) => {
        const key = String(node.key);
        if (key.startsWith(MORE)) {
          const parentId = key.slice(MORE.length);
          void load(parentId, children[parentId]?.endCursor ?? null);
        } else {
          onSelect(key);
        }
      }}
    />
  );
}
