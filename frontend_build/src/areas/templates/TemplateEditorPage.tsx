// The template editor (templates/:id): settings, the tree of categories and indicators with
// their methods, veto rules, consequences (奖惩规则); save the draft (optimistic lock), the live
// problems beside their fields, publish. Published and archived versions are read only.
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Empty, Form, Popconfirm, Row, Space, Spin, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { describeFailure, isConflict, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { formatDate, unitName } from "../../format";
import {
  PublishTemplateDocument,
  type TemplateDetailFragment,
  TemplateEditorDocument,
  UpdateTemplateDraftDocument,
} from "../../gql/graphql";
import { canWrite } from "./authors";
import { BandsCard } from "./BandsCard";
import { ConsequencesCard } from "./ConsequencesCard";
import { EditorContext } from "./Field";
import { ImportTemplateModal } from "./ImportTemplateModal";
import { ItemPanel } from "./ItemPanel";
import { ItemTree } from "./ItemTree";
import { blankBandFields, blankNode, contentInput, type Draft, draftFromTemplate } from "./model";
import {
  addNode,
  apiPath,
  canMove,
  findPath,
  itemIndexPath,
  moveNode,
  nodeAt,
  problemsByField,
  removeNode,
  updateNode,
} from "./tree";
import { ProblemList } from "./ProblemList";
import { SettingsCard } from "./SettingsCard";
import { StateTag } from "./StateTag";
import { VetoRulesCard } from "./VetoRulesCard";

export function TemplateEditorPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user } = useViewer();
  const query = useGql(TemplateEditorDocument, { id });
  const save = useGqlMutation(UpdateTemplateDraftDocument);
  const publish = useGqlMutation(PublishTemplateDocument);
  const template = query.data?.node?.__typename === "Template" ? (query.data.node as TemplateDetailFragment) : null;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  /** Take the server's template as the draft, keeping the selected node's place in the tree. */
  const reset = (next: TemplateDetailFragment) => {
    const place = draft && selected ? findPath(draft.items, selected) : null;
    const fresh = draftFromTemplate(next);
    setDraft(fresh);
    setLoaded(`${next.id}:${next.lockVersion}:${next.state}`);
    setDirty(false);
    const node = place ? nodeAt(fresh.items, place) : null;
    setSelected(node?.key ?? fresh.items[0]?.key ?? null);
  };

  useEffect(() => {
    if (template && !dirty && loaded !== `${template.id}:${template.lockVersion}:${template.state}`) reset(template);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [template]);

  const problems = useMemo(() => [...errors, ...(template?.problems ?? [])], [errors, template]);
  const byField = useMemo(() => problemsByField(problems), [problems]);

  if (query.isLoading) return <Spin style={{ display: "block", margin: 48 }} tip={t("common.loading")}><div /></Spin>;
  if (query.error) return <Alert type="error" showIcon title={describeFailure(query.error, t)} />;
  if (!template || !draft) return <Empty description={t("templates.editor.notFound")} />;

  const writer = canWrite(user);
  const readOnly = template.state !== "DRAFT" || !writer;
  const extension = Boolean(template.extends);
  const change = (next: Draft) => {
    setDraft(next);
    setDirty(true);
  };
  const setItems = (items: Draft["items"]) => change({ ...draft, items });
  const selectedPath = selected ? findPath(draft.items, selected) : null;
  const selectedNode = selectedPath ? nodeAt(draft.items, selectedPath) : null;

  const reload = async () => {
    setConflict(false);
    setErrors([]);
    setDirty(false);
    const result = await query.refetch();
    const node = result.data?.node;
    if (node?.__typename === "Template") reset(node as TemplateDetailFragment);
  };

  const onSave = async () => {
    setFailure(null);
    setConflict(false);
    const blanks = blankBandFields(draft);
    if (blanks.length) {
      setErrors(blanks.map((field) => ({ field, message: t("templates.editor.bandsBlank"), code: "REQUIRED" })));
      return;
    }
    try {
      const { updateTemplateDraft: payload } = await save.mutateAsync({
        input: { id: template.id, expectedVersion: template.lockVersion, content: contentInput(draft) },
      });
      if (isConflict(payload.errors)) {
        setErrors([]);
        setConflict(true);
      } else if (payload.errors.length) setErrors(payload.errors);
      else if (payload.template) {
        setErrors([]);
        setDirty(false);
        reset(payload.template);
        message.success(t("templates.editor.saved"));
      }
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  const onPublish = async () => {
    setFailure(null);
    try {
      const { publishTemplate: payload } = await publish.mutateAsync({
        input: { id: template.id, expectedVersion: template.lockVersion },
      });
      if (isConflict(payload.errors)) setConflict(true);
      else if (payload.errors.length) setErrors(payload.errors);
      else message.success(t("templates.editor.published"));
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  const show = (field: string) => {
    const path = itemIndexPath(field);
    const node = path ? nodeAt(draft.items, path) : null;
    if (node) setSelected(node.key);
  };

  const pending = save.isPending || publish.isPending;
  return (
    <EditorContext.Provider value={{ problems: byField, readOnly }}>
      <Form layout="vertical" component={false}>
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Card size="small">
            <Space orientation="vertical" size={4} style={{ width: "100%" }}>
              <Link to="/templates">← {t("templates.editor.back")}</Link>
              <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
                <Space wrap>
                  <Typography.Title level={4} style={{ margin: 0 }}>{template.title}</Typography.Title>
                  <StateTag state={template.state} />
                  <Tag>{t("templates.list.versionLabel", { version: template.version })}</Tag>
                  {dirty && <Tag color="orange">{t("templates.editor.unsaved")}</Tag>}
                </Space>
                <Space wrap>
                  <a href={template.excelUrl} download>
                    <DownloadOutlined /> {t("templates.list.downloadExcel")}
                  </a>
                  {!readOnly && (
                    <>
                      <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} disabled={pending}>
                        {t("templates.import.replace")}
                      </Button>
                      <Button type="primary" onClick={onSave} loading={save.isPending} disabled={pending}>
                        {t("templates.editor.save")}
                      </Button>
                      <Popconfirm
                        title={t("templates.editor.publishConfirm")}
                        okText={t("templates.editor.publish")}
                        cancelText={t("common.cancel")}
                        onConfirm={onPublish}
                        disabled={dirty || pending}
                      >
                        <Button disabled={dirty || pending} loading={publish.isPending} title={dirty ? t("templates.editor.publishFirstSave") : undefined}>
                          {t("templates.editor.publish")}
                        </Button>
                      </Popconfirm>
                    </>
                  )}
                </Space>
              </Space>
              <Typography.Text type="secondary">
                {template.family.name} ({template.family.code}) · {unitName(template.owner, i18n.language)}
                {template.publishedAt && ` · ${t("templates.states.PUBLISHED")} ${formatDate(template.publishedAt, i18n.language)}`}
                {template.extends && ` · ${t("templates.list.extends")}: ${template.extends.title} ${t("templates.list.versionLabel", { version: template.extends.version })}`}
                {template.copiedFrom && ` · ${t("templates.editor.copiedFrom")}: ${t("templates.list.versionLabel", { version: template.copiedFrom.version })}`}
              </Typography.Text>
            </Space>
          </Card>
          {template.state !== "DRAFT" && (
            <Alert type="info" showIcon title={t("templates.editor.readOnly", { state: t(`templates.states.${template.state}`) })} />
          )}
          {template.state === "DRAFT" && !writer && <Alert type="info" showIcon title={t("templates.editor.editNotAllowed")} />}
          {conflict && (
            <Alert
              type="warning"
              showIcon
              title={t("errors.conflict")}
              action={<Button onClick={reload}>{t("errors.reload")}</Button>}
            />
          )}
          {failure && <Alert type="error" showIcon title={failure} closable onClose={() => setFailure(null)} />}
          <ProblemList title={t("templates.editor.saveErrors")} type="error" problems={errors} onShow={show} />
          {template.state === "DRAFT" && (
            template.problems.length > 0 ? (
              <ProblemList
                title={t("templates.editor.problems", { count: template.problems.length })}
                type="warning"
                problems={template.problems}
                note={dirty ? t("templates.editor.problemsStale") : undefined}
                onShow={show}
              />
            ) : (
              <Alert type="success" showIcon title={t("templates.editor.noProblems")} />
            )
          )}
          <SettingsCard draft={draft} locked={extension} onChange={(patch) => change({ ...draft, ...patch })} />
          <BandsCard draft={draft} onChange={(patch) => change({ ...draft, ...patch })} />
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={9}>
              <ItemTree
                items={draft.items}
                selected={selected}
                onSelect={setSelected}
                onAddTop={
                  readOnly || extension
                    ? undefined
                    : (bonus) => {
                        const node = blankNode("CATEGORY", bonus);
                        setItems(addNode(draft.items, null, node));
                        setSelected(node.key);
                      }
                }
              />
            </Col>
            <Col xs={24} lg={15}>
              {selectedNode && selectedPath ? (
                <ItemPanel
                  node={selectedNode}
                  path={apiPath(selectedPath)}
                  depth={selectedPath.length}
                  extension={extension}
                  canMoveUp={canMove(draft.items, selectedNode.key, -1)}
                  canMoveDown={canMove(draft.items, selectedNode.key, 1)}
                  onChange={(patch) => setItems(updateNode(draft.items, selectedNode.key, patch))}
                  onMove={(delta) => setItems(moveNode(draft.items, selectedNode.key, delta))}
                  onRemove={() => {
                    setItems(removeNode(draft.items, selectedNode.key));
                    setSelected(null);
                  }}
                  onAdd={(kind) => {
                    const node = blankNode(kind, selectedNode.bonus);
                    setItems(addNode(draft.items, selectedNode.key, node));
                    setSelected(node.key);
                  }}
                />
              ) : (
                <Card size="small">
                  <Empty description={t("templates.editor.pickNode")} />
                </Card>
              )}
            </Col>
          </Row>
          <VetoRulesCard rules={draft.vetoRules} locked={extension} onChange={(vetoRules) => change({ ...draft, vetoRules })} />
          <ConsequencesCard policy={draft.consequences} onChange={(consequences) => change({ ...draft, consequences })} />
        </Space>
      </Form>
      {importing && (
        <ImportTemplateModal
          draft={{ id: template.id, lockVersion: template.lockVersion }}
          onClose={() => {
            setImporting(false);
            void reload();
          }}
        />
      )}
    </EditorContext.Provider>
  );
}
