// One step of a hazard's closed loop (rectifying, rectified with evidence, the look-back,
// closing) or listing / delisting it for supervision: a note, and files where evidence goes.
import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGqlMutation } from "../../api/hooks";
import { DelistHazardDocument, type HazardRowFragment, ListHazardDocument, MoveHazardDocument } from "../../gql/graphql";
import { type HazardAction, moveTarget } from "./logic";
import { PayloadErrors } from "../../components/PayloadErrors";
import { EvidenceUpload } from "./EvidenceUpload";
import { useSubmit } from "./useSubmit";

type Props = {
  hazard: HazardRowFragment;
  action: HazardAction;
  onClose: () => void;
  onReload: () => void;
};

export function HazardActionModal({ hazard, action, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const [files, setFiles] = useState<File[]>([]);
  const move = useGqlMutation(MoveHazardDocument);
  const list = useGqlMutation(ListHazardDocument);
  const delist = useGqlMutation(DelistHazardDocument);
  const { problems, failure, run } = useSubmit(form);
  const pending = move.isPending || list.isPending || delist.isPending;
  const target = moveTarget(action);

  async function submit({ note }: { note: string }) {
    const base = { hazardId: hazard.id, expectedVersion: hazard.version, note };
    const saved = await run(async () => {
      if (target) return (await move.mutateAsync({ input: { ...base, to: target, files } })).moveHazard;
      if (action === "LIST") return (await list.mutateAsync({ input: base })).listHazard;
      return (await delist.mutateAsync({ input: base })).delistHazard;
    });
    if (saved) onClose();
  }

  return (
    <Modal
      open
      title={`${t(`ledgers.hazards.do.${action}`)} · ${hazard.title}`}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      okButtonProps={{ disabled: pending }}
      destroyOnHidden
    >
      <PayloadErrors errors={problems} failure={failure} labels={{ files: t("ledgers.evidence") }} onReload={onReload} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="note" label={t("ledgers.hazards.note")} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {target && <EvidenceUpload setFiles={setFiles} />}
      </Form>
    </Modal>
  );
}
