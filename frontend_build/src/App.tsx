// The routes: sign-in outside the shell, every area's screens inside it.
import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, RouterProvider } from "react-router";
import { areas } from "./areas";
import { SignInPage } from "./auth/SignInPage";
import { Home, Shell } from "./layout/Shell";

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t("errors.notFound")} />;
}

const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  {
    path: "/",
    element: <Shell />,
    children: [
      { index: true, element: <Home /> },
      ...areas.flatMap((area) => area.routes),
      { path: "*", element: <NotFound /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
