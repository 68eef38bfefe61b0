// The signed-in frame: the menu of what the user's roles can use, the unit and roles, the
// language switch and signing out; collapses to icons on a tablet.
import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Button, Layout, Menu, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { setCsrfToken } from "../api/client";
import { useGqlMutation } from "../api/hooks";
import { areas } from "../areas";
import { shows } from "../areas/area";
import { ForcedPasswordChange } from "../auth/ForcedPasswordChange";
import { rolesOf, useViewer } from "../auth/ViewerContext";
import { unitName } from "../format";
import { SignOutDocument } from "../gql/graphql";
import { LanguageSwitch } from "./LanguageSwitch";

export function Shell() {
  const { t, i18n } = useTranslation();
  const { user, loading, mustChangePassword } = useViewer();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const signOut = useGqlMutation(SignOutDocument, { invalidate: false });

  async function leave() {
    try {
      await signOut.mutateAsync({});
    } finally {
      setCsrfToken(null);
      client.clear();
      navigate("/sign-in", { replace: true });
    }
  }

  if (loading) return null;
  // A new password first: nothing else answers until it is chosen.
  if (mustChangePassword) {
    return <ForcedPasswordChange user={mustChangePassword} onSignOut={leave} signingOut={signOut.isPending} />;
  }
  if (!user) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;

  const entries = areas.flatMap((area) => area.menu).filter((entry) => shows(entry, user));
  const selected = entries
    .filter((e) => location.pathname === e.path || location.pathname.startsWith(`${e.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme="light" width={208}>
        <div className="brand">
          <span className="brand-mark" aria-hidden />
          <span className="brand-name">{t("app.name")}</span>
        </div>
        <nav aria-label={t("shell.menu")}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected.path] : []}
            items={entries.map((entry) => ({
              key: entry.path,
              icon: entry.icon,
              label: t(entry.label),
              onClick: () => navigate(entry.path),
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Space size="middle" wrap>
            <Typography.Text strong>{unitName(user.node, i18n.language)}</Typography.Text>
            <Typography.Text type="secondary">{user.displayName}</Typography.Text>
            <span aria-label={t("shell.roles")}>
              {rolesOf(user).map((role) => (
                <Tag key={role}>{t(`roles.${role}`)}</Tag>
              ))}
            </span>
          </Space>
          <Space size="middle">
            <LanguageSwitch />
            <Button
              icon={<UserOutlined />}
              type={location.pathname === "/account" ? "primary" : "default"}
              ghost={location.pathname === "/account"}
              onClick={() => navigate("/account")}
            >
              {t("shell.account")}
            </Button>
            <Button icon={<LogoutOutlined />} onClick={leave} loading={signOut.isPending}>
              {t("shell.signOut")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Where "/" leads: the first screen the user's roles open. */
export function Home() {
  const { user } = useViewer();
  const first = areas.flatMap((area) => area.menu).find((entry) => shows(entry, user));
  return <Navigate to={first?.path ?? "/units"} replace />;
}
