// A user's API tokens, for their admin: the list, each revocable.
import { Modal } from "antd";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { ApiTokenTable } from "../../components/ApiTokenTable";
import { PayloadErrors } from "../../components/PayloadErrors";
import { UnitsUserTokensDocument } from "../../gql/graphql";

export function UserTokensModal({ user, onClose }: { user: { id: string; displayName: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const query = useGql(UnitsUserTokensDocument, { userId: user.id });
  return (
    <Modal open width={900} title={t("units.tokens.title", { user: user.displayName })} footer={null} onCancel={onClose} destroyOnHidden>
      <PayloadErrors failure={query.error} />
      <ApiTokenTable tokens={query.data?.apiTokens ?? []} loading={query.isFetching} onRevoked={() => void query.refetch()} />
    </Modal>
  );
}
