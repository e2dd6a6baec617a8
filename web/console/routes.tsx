import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { LoginPage } from './auth/login-page';
import { RequireAuth } from './auth/require-auth';
import { RequirePermission } from './auth/require-permission';
import { loadAreaStrings } from './i18n';
import { AppLayout } from './layout/app-layout';
import { navAreas } from './layout/nav-areas';
import { NotFoundPage } from './layout/not-found-page';
import { PageErrorBoundary } from './layout/page-error-boundary';
import { PageLoading } from './layout/page-loading';
import { standalonePaths } from './route-paths';

// Loaded when opened: the first start's setup and the receipt's print page are rarely the first screen.
const SetupPage = lazy(async () => {
  const [module] = await Promise.all([import('./auth/setup-page'), loadAreaStrings()]);
  return { default: module.SetupPage };
});
const ReceiptPage = lazy(async () => {
  const [module] = await Promise.all([import('./orders/receipt-page'), loadAreaStrings()]);
  return { default: module.ReceiptPage };
});

const areaRoutes = navAreas.flatMap((area) =>
  [{ path: area.path, element: area.element }, ...(area.pages ?? [])].map((page) => (
    <Route key={page.path} path={page.path} element={<RequirePermission permission={area.permission}>{page.element}</RequirePermission>} />
  )),
);

export const AppRoutes = () => (
  <PageErrorBoundary>
    <Suspense fallback={<PageLoading fullScreen />}>
      <Routes>
        <Route path={standalonePaths.login} element={<LoginPage />} />
        <Route path={standalonePaths.setup} element={<SetupPage />} />
        <Route
          path={standalonePaths.receipt}
          element={
            <RequireAuth>
              <ReceiptPage />
            </RequireAuth>
          }
        />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          {areaRoutes}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  </PageErrorBoundary>
);
