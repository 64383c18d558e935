import { useExtensions, type Contributed, type RouteExtension } from '@atrium/frontend-plugin-api';
import { PluginContent } from '@atrium/ui';
import { Route, Routes, useLocation } from 'react-router';
import { SignInPage } from './auth/SignInPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './settings/SettingsPage';
import { AppLayout } from './shell/AppLayout';

export function AppRoutes() {
  const { routes } = useExtensions();
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="/settings/*" element={<SettingsPage />} />
        {routes.map((route) => (
          <Route key={route.path} path={route.path} element={<PluginPage route={route} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** A plugin's page, contained; navigating elsewhere gives a crashed page another try. */
function PluginPage(props: { route: Contributed<RouteExtension> }) {
  const { pathname } = useLocation();
  return <PluginContent pluginId={props.route.pluginId} content={props.route} resetKey={pathname} loadingLabel="Loading page…" />;
}
