// The evidence files of a ledger step: a form row that picks any number of files (kept in the caller's state) for upload.
import { UploadOutlined } from "@ant-design/icons";
import { Button, Form, Upload } from "antd";
import type { Dispatch, SetStateAction } from "react";
import { useTranslation } from "react-i18next";

export function EvidenceUpload({ setFiles }: { setFiles: Dispatch<SetStateAction<File[]>> }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t("ledgers.evidence")}>
      <Upload
        multiple
        beforeUpload={(file) => {
          setFiles((all) => [...all, file]);
          return false;
        }}
        onRemove={(file) => setFiles((all) => all.filter((f) => f.name !== file.name))}
      >
        <Button icon={<UploadOutlined />}>{t("common.upload")}</Button>
      </Upload>
    </Form.Item>
  );
}
