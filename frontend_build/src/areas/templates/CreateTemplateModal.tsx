// The dialog that starts a new template family with its draft version 1.
import { Alert, Col, Form, Input, InputNumber, Modal, Row } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { CreateTemplateDocument } from "../../gql/graphql";

type Values = {
  familyCode: string;
  familyName: string;
  content: {
    title: string;
    year: number;
    totalPoints: string;
    bonusCap: string;
    gradeExcellent: string;
    gradeGood: string;
    gradeQualified: string;
  };
};

export function CreateTemplateModal({ ownerNodeId, onClose }: { ownerNodeId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const create = useGqlMutation(CreateTemplateDocument);
  const [rest, setRest] = useState<UserError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setRest([]);
    setFailure(null);
    try {
      const { createTemplate } = await create.mutateAsync({
        input: {
          ownerNodeId,
          familyCode: values.familyCode.trim(),
          familyName: values.familyName.trim(),
          // Written in Chinese, explained in Chinese (the editor's settings can change it).
          content: {
            ...values.content,
            title: values.content.title.trim(),
            language: "ZH",
            items: [],
            vetoRules: [],
          },
        },
      });
      if (createTemplate.errors.length) {
        setRest(showFieldErrors(form, createTemplate.errors));
      } else if (createTemplate.template) {
        navigate(`/templates/${encodeURIComponent(createTemplate.template.id)}`);
      }
    } catch (error) {
      setFailure(describeFailure(error, t));
    }
  };

  const required = (key: string) => [{ required: true, message: t("templates.create.required", { field: t(key) }) }];
  const points = (name: string, label: string) => (
    <Col xs={12} md={8}>
      <Form.Item name={["content", name]} label={t(label)} rules={required(label)}>
        <Input inputMode="decimal" />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open
      title={t("templates.create.title")}
      okText={t("templates.create.submit")}
      cancelText={t("common.cancel")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: create.isPending, disabled: create.isPending }}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          content: {
            year: new Date().getFullYear(),
            totalPoints: "100",
            bonusCap: "5",
            gradeExcellent: "90",
            gradeGood: "80",
            gradeQualified: "60",
          },
        }}
      >
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item
              name="familyCode"
              label={t("templates.create.familyCode")}
              extra={t("templates.create.familyCodeHelp")}
              rules={required("templates.create.familyCode")}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="familyName" label={t("templates.create.familyName")} rules={required("templates.create.familyName")}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name={["content", "title"]} label={t("templates.create.templateTitle")} rules={required("templates.create.templateTitle")}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={["content", "year"]} label={t("templates.create.year")} rules={required("templates.create.year")}>
              <InputNumber min={2000} max={2100} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          {points("totalPoints", "templates.create.totalPoints")}
          {points("bonusCap", "templates.create.bonusCap")}
          {points("gradeExcellent", "templates.create.gradeExcellent")}
          {points("gradeGood", "templates.create.gradeGood")}
          {points("gradeQualified", "templates.create.gradeQualified")}
        </Row>
      </Form>
      {rest.length > 0 && (
        <Alert type="error" showIcon title={rest.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("；")} />
      )}
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
