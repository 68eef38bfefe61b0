// The ledgers screen: one tab per ledger (accidents, hazards, task lists, statements), each
// tab its own route so it can be linked to.
import { Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { AccidentsTab } from "./AccidentsTab";
import { HazardsTab } from "./HazardsTab";
import { StatementsTab } from "./StatementsTab";
import { TasksTab } from "./TasksTab";

export type LedgerTab = "accidents" | "hazards" | "tasks" | "statements";

const SCREENS: Record<LedgerTab, () => React.ReactElement> = {
  accidents: AccidentsTab,
  hazards: HazardsTab,
  tasks: TasksTab,
  statements: StatementsTab,
};

export function LedgersPage({ tab }: { tab: LedgerTab }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const Screen = SCREENS[tab];
  return (
    <>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(`/ledgers/${key}`)}
        items={(Object.keys(SCREENS) as LedgerTab[]).map((key) => ({ key, label: t(`ledgers.tabs.${key}`) }))}
      />
      <Screen />
    </>
  );
}
