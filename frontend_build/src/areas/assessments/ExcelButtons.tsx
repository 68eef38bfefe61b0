// The self-assessment as an Excel workbook: download it to fill in offline, import it back
// (importSelfAssessment: nothing is saved when a cell is wrong; the errors name the cells).
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Upload } from "antd";
import { useTranslation } from "react-i18next";
import { type UserError, describeFailure, isConflict } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { type AssessmentDetailFragment, ImportSelfAssessmentDocument } from "../../gql/graphql";

/** Where the assessment's self-assessment workbook downloads from. */
export function selfAssessmentWorkbookUrl(assessmentId: string): string {
  return `/files/assessments/${assessmentId}/self-assessment.xlsx`;
}

export function ExcelButtons({
  assessmentId,
  version,
  editable,
  dirty,
  onImported,
  onConflict,
  onProblems,
}: {
  assessmentId: string;
  version: number;
  editable: boolean;
  dirty: boolean;
  onImported: (detail: AssessmentDetailFragment) => void;
  onConflict: () => void;
  onProblems: (errors: UserError[]) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mutation = useGqlMutation(ImportSelfAssessmentDocument);

  async function upload(file: File) {
    if (dirty) {
      message.warning(t("assessments.excelSaveFirst"));
      return;
    }
    try {
      const result = await mutation.mutateAsync({ input: { assessmentId, expectedVersion: version, file } });
      const { errors, assessment } = result.importSelfAssessment;
      if (errors.length) {
        // A stale page reloads; a stale workbook (field "file") says to download it again.
        if (isConflict(errors) && !errors.some((e) => e.field === "file")) return onConflict();
        return onProblems(errors);
      }
      if (assessment) onImported(assessment);
      message.success(t("assessments.excelImported"));
    } catch (error) {
      message.error(describeFailure(error, t));
    }
  }

  return (
    <>
      <Button size="small" icon={<DownloadOutlined />} href={selfAssessmentWorkbookUrl(assessmentId)}>
        {t("assessments.excelDownload")}
      </Button>
      {editable && (
        <Upload
          accept=".xlsx"
          showUploadList={false}
          disabled={mutation.isPending}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button size="small" icon={<UploadOutlined />} loading={mutation.isPending}>
            {t("assessments.excelImport")}
          </Button>
        </Upload>
      )}
    </>
  );
}
