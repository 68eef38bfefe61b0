// The self-assessment form of one assessment: the indicator tree to fill in, saveEntries with
// the version read (errors beside their fields, a conflict with a reload), the live self total
// explained, evidence, and submitting; read only once submitted or for readers.
import { ArrowLeftOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Form, Result, Space, Spin } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useBlocker, useParams } from "react-router";
import { type UserError, describeFailure, isConflict, showFieldErrors } from "../../api/errors";
import { operationName, useGql, useGqlMutation } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { unitName } from "../../format";
import {
  type AssessmentDetailFragment,
  type AssessmentFormQuery,
  AssessmentFormDocument,
  SaveAssessmentEntriesDocument,
  SubmitSelfAssessmentDocument,
} from "../../gql/graphql";
import { AppealContext, AppealModal, AppealsPanel } from "./Appeals";
import { appealWindow, canAppeal } from "./appeals";
import { CategoryPanels, sectionKey } from "./CategoryPanels";
import {
  type EntryRow,
  type Section,
  buildSections,
  canEdit,
  changedInputs,
  entryIndexOf,
  indexesIn,
  remapErrors,
  rowFromEntry,
} from "./entries";
import { ExcelButtons } from "./ExcelButtons";
import { ExplanationDrawer } from "./ExplanationDrawer";
import { ScoreBar } from "./ScoreBar";

const REVIEWED_STATES = ["REVIEWED", "FINAL"];

type Loaded = Extract<NonNullable<AssessmentFormQuery["node"]>, { entries: unknown }>;

export function AssessmentFormPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const query = useGql(AssessmentFormDocument, { id });
  const node = query.data?.node;
  const assessment = node && "entries" in node ? (node as Loaded) : null;

  const back = (
    <Link to="/assessments">
      <ArrowLeftOutlined /> {t("assessments.back")}
    </Link>
  );
  if (query.isLoading) return <Spin size="large" style={{ display: "block", margin: "64px auto" }} description={t("common.loading")} />;
  if (query.isError) return <Alert type="error" showIcon title={describeFailure(query.error, t)} action={back} />;
  if (!assessment) return <Result status="404" subTitle={t("assessments.notFound")} extra={back} />;
  return <AssessmentForm key={assessment.id} assessment={assessment} reload={() => query.refetch()} back={back} />;
}

type Problems = { title: string; errors: UserError[] };

function AssessmentForm({
  assessment,
  reload,
  back,
}: {
  assessment: Loaded;
  reload: () => Promise<{ data?: AssessmentFormQuery }>;
  back: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const { user } = useViewer();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const save = useGqlMutation(SaveAssessmentEntriesDocument);
  const submit = useGqlMutation(SubmitSelfAssessmentDocument);
  const [dirty, setDirty] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [problems, setProblems] = useState<Problems | null>(null);
  const [explain, setExplain] = useState(false);
  const [appealing, setAppealing] = useState<{ code: string; title: string } | null>(null);
  const entries = assessment.entries;
  const cycle = assessment.cycle;
  const sections = useMemo(() => buildSections(cycle.template.categories, entries), [cycle.template.categories, entries]);
  const [open, setOpen] = useState<string[]>(() =>
    entries.length <= 40 ? sections.map(sectionKey) : sections.slice(0, 1).map(sectionKey),
  );
  const initialValues = useMemo(() => ({ entries: entries.map(rowFromEntry) }), [assessment.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const titles = useMemo(() => new Map(entries.map((e) => [e.indicator.code, e.indicator.title])), [entries]);

  // Unsaved changes are not lost by a click elsewhere in the app or by closing the tab.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    modal.confirm({
      title: t("assessments.leaveConfirm"),
      okText: t("common.confirm"),
      cancelText: t("common.cancel"),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker.state]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const editable = canEdit(assessment.state, cycle.state, user?.roles ?? [], assessment.unit.id);
  const mayFill = canEdit("DRAFT", "OPEN", user?.roles ?? [], assessment.unit.id);
  const showReview =
    REVIEWED_STATES.includes(assessment.state) || entries.some((e) => e.reviewed || e.reviewPoints !== null);
  const appealState = appealWindow(cycle.appealDue);
  const mayAppeal = canAppeal(assessment.state, cycle.appealDue, user?.roles ?? [], assessment.unit.id);
  const isSubmitter = (user?.roles ?? []).some((g) => g.role === "SUBMITTER" && g.node.id === assessment.unit.id);
  const appealContext = useMemo(
    () => ({
      canFile: mayAppeal,
      appeals: assessment.appeals,
      onAppeal: (code: string, title: string) => setAppealing({ code, title }),
    }),
    [mayAppeal, assessment.appeals],
  );

  /** Open the panels holding the indicators the errors name. */
  function openFor(errors: UserError[]) {
    const wanted = new Set(errors.map(entryIndexOf).filter((i): i is number => i !== null));
    const keys = sections.filter((s: Section) => indexesIn(s).some((i) => wanted.has(i))).map(sectionKey);
    setOpen((current) => [...new Set([...current, ...keys])]);
  }

  function adopt(detail: AssessmentDetailFragment) {
    client.setQueryData<AssessmentFormQuery>(
      [operationName(AssessmentFormDocument as never), { id: assessment.id }],
      (old) => (old?.node ? { node: { ...old.node, ...detail } as AssessmentFormQuery["node"] } : old),
    );
    form.setFieldsValue({ entries: detail.entries.map(rowFromEntry) });
    setDirty(false);
  }

  async function onSave() {
    setProblems(null);
    try {
      await form.validateFields();
    } catch {
      return; // the form shows each problem beside its field
    }
    const rows = (form.getFieldsValue(true) as { entries: EntryRow[] }).entries;
    const { inputs, indexes } = changedInputs(entries, rows);
    if (inputs.length === 0) {
      message.info(t("assessments.nothingChanged"));
      setDirty(false);
      return;
    }
    try {
      const result = await save.mutateAsync({
        input: { assessmentId: assessment.id, expectedVersion: assessment.version, entries: inputs },
      });
      const { errors, assessment: saved } = result.saveEntries;
      if (errors.length) {
        if (isConflict(errors)) return setConflict(true);
        const mapped = remapErrors(errors, indexes, entries);
        openFor(mapped);
        const rest = showFieldErrors(form, mapped, []);
        setProblems({ title: t("assessments.errorsTitle"), errors: mapped.filter((e) => rest.includes(e) || entryIndexOf(e) !== null) });
        return;
      }
      if (saved) adopt(saved);
      message.success(t("common.saved"));
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  }

  async function onSubmit() {
    setProblems(null);
    if (dirty) {
      message.warning(t("assessments.saveFirst"));
      return;
    }
    try {
      const result = await submit.mutateAsync({
        input: { assessmentId: assessment.id, expectedVersion: assessment.version },
      });
      const errors = result.submitAssessment.errors;
      if (errors.length) {
        if (isConflict(errors)) return setConflict(true);
        setProblems({ title: t("assessments.submitErrorsTitle"), errors });
        return;
      }
      message.success(t("assessments.submitted"));
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  }

  async function onReload() {
    const fresh = await reload();
    const node = fresh.data?.node;
    if (node && "entries" in node) form.setFieldsValue({ entries: (node as Loaded).entries.map(rowFromEntry) });
    form.setFields(form.getFieldsError().map((f) => ({ name: f.name, errors: [] })));
    setConflict(false);
    setProblems(null);
    setDirty(false);
  }

  const describe = (error: UserError) => {
    const index = entryIndexOf(error);
    const indicator = index !== null ? entries[index]?.indicator : undefined;
    return indicator ? `${indicator.code} ${indicator.title}：${error.message}` : error.message;
  };

  return (
    <div>
      <div style={{ marginBottom: 8 }}>{back}</div>
      <ScoreBar
        title={t("assessments.formTitle", { unit: unitName(assessment.unit, i18n.language) })}
        state={assessment.state}
        late={assessment.late}
        group={assessment.group?.name}
        selfDue={cycle.selfDue}
        card={assessment.selfCard}
        reviewedTotal={showReview ? assessment.reviewedTotal : null}
        editable={editable}
        dirty={dirty}
        saving={save.isPending}
        submitting={submit.isPending}
        onExplain={() => setExplain(true)}
        onSave={onSave}
        onSubmit={onSubmit}
      />
      <Space orientation="vertical" style={{ width: "100%", marginBottom: 16 }}>
        <Alert type="info" title={`${cycle.name} · ${cycle.template.title}`} />
        {assessment.state === "RETURNED" && assessment.returnedReason && (
          <Alert type="warning" showIcon title={t("assessments.returned", { reason: assessment.returnedReason })} />
        )}
        {!editable && (
          <Alert
            type="info"
            showIcon
            title={
              mayFill || assessment.state !== "DRAFT"
                ? t("assessments.readOnly", { state: t(`assessments.states.${assessment.state}`) })
                : t("assessments.noPermission")
            }
          />
        )}
        {conflict && (
          <Alert
            type="error"
            showIcon
            title={t("errors.conflict")}
            action={<Button onClick={onReload}>{t("errors.reload")}</Button>}
          />
        )}
        {problems && problems.errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={problems.title}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {problems.errors.map((error, i) => (
                  <li key={i}>{describe(error)}</li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
      {(REVIEWED_STATES.includes(assessment.state) || assessment.appeals.length > 0) && (
        <AppealsPanel
          appeals={assessment.appeals}
          titles={titles}
          mayEdit={isSubmitter}
          window={appealState}
          appealDue={cycle.appealDue}
        />
      )}
      <AppealContext.Provider value={appealContext}>
      <Form
        form={form}
        name="assessment"
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={() => {
          if (!dirty) setDirty(true);
        }}
      >
        <Space style={{ marginBottom: 8 }}>
          <Button size="small" onClick={() => setOpen(sections.map(sectionKey))}>
            {t("assessments.expandAll")}
          </Button>
          <Button size="small" onClick={() => setOpen([])}>
            {t("assessments.collapseAll")}
          </Button>
          <ExcelButtons
            assessmentId={assessment.id}
            version={assessment.version}
            editable={editable}
            dirty={dirty}
            onImported={adopt}
            onConflict={() => setConflict(true)}
            onProblems={(errors) => setProblems({ title: t("assessments.excelImportErrors"), errors })}
          />
        </Space>
        <CategoryPanels
          sections={sections}
          entries={entries}
          card={assessment.selfCard}
          open={open}
          onOpen={setOpen}
          editable={editable}
          assessmentId={assessment.id}
          showReview={showReview}
        />
      </Form>
      </AppealContext.Provider>
      {appealing && (
        <AppealModal
          key={appealing.code}
          assessmentId={assessment.id}
          itemCode={appealing.code}
          title={appealing.title}
          onClose={() => setAppealing(null)}
        />
      )}
      {assessment.selfCard && (
        <ExplanationDrawer open={explain} onClose={() => setExplain(false)} card={assessment.selfCard} titles={titles} />
      )}
    </div>
  );
}
