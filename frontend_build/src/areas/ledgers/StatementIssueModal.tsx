// Issue a unit's responsibility statements for a year: to units directly below (picked, or all
// not yet holding one) and to enterprises named one per line.
import { Checkbox, Form, Input, InputNumber, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { unitName } from "../../format";
import { IssueStatementsDocument, type UnitRefFragment } from "../../gql/graphql";
import { splitLines } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { useSubmit } from "./useSubmit";

type Values = { year: number; title: string; units?: string[]; allUnits?: boolean; enterprises?: string };

type Props = {
  open: boolean;
  nodeId: string;
  year: number;
  /** Units directly below without a statement of the year yet. */
  candidates: UnitRefFragment[];
  onClose: () => void;
};

export function StatementIssueModal({ open, nodeId, year, candidates, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const issue = useGqlMutation(IssueStatementsDocument);
  const { problems, failure, run } = useSubmit(form);
  const all = Form.useWatch("allUnits", form);

  async function submit(v: Values) {
    const saved = await run(async () => {
      const data = await issue.mutateAsync({
        input: {
          nodeId,
          year: v.year,
          title: v.title.trim(),
          units: v.allUnits ? null : (v.units ?? []),
          allUnits: !!v.allUnits,
          enterprises: splitLines(v.enterprises).map((name) => ({ name })),
        },
      });
      return data.issueResponsibilityStatements;
    });
    if (saved) onClose();
  }

  return (
    <Modal
      open={open}
      title={t("ledgers.statements.issue")}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={issue.isPending}
      okButtonProps={{ disabled: issue.isPending }}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ year, title: t("ledgers.statements.defaultTitle", { year }) }}
      >
        <Form.Item name="year" label={t("ledgers.statements.year")} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="title" label={t("ledgers.statements.titleLabel")} rules={[{ required: true, max: 300 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="allUnits" valuePropName="checked">
          <Checkbox>{t("ledgers.statements.allUnits")}</Checkbox>
        </Form.Item>
        {!all && (
          <Form.Item name="units" label={t("ledgers.statements.units")}>
            <Select
              mode="multiple"
              options={candidates.map((u) => ({ value: u.code, label: `${unitName(u, i18n.language)} (${u.code})` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="enterprises" label={t("ledgers.statements.enterprises")}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
