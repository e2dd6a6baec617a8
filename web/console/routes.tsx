import { Route, Routes } from 'react-router';
import { LoginPage } from './auth/login-page';
import { RequireAuth } from './auth/require-auth';
import { RequirePermission } from './auth/require-permission';
import { SetupPage } from './auth/setup-page';
import { AppLayout } from './layout/app-layout';
import { navAreas } from './layout/nav-areas';
import { NotFoundPage } from './layout/not-found-page';
import { ReceiptPage } from './orders/receipt-page';

const areaRoutes = navAreas.flatMap((area) =>
  [{ path: area.path, element: area.element }, ...(area.pages ?? [])].map((page) => (
    <Route key={page.path} path={page.path} element={<RequirePermission permission={area.permission}>{page.element}</RequirePermission>} />
  )),
);

export const AppRoutes = () => (
  <Routes>
    <Route path="/login" element={<LoginPage />} />
    <Route path="/setup" element={<SetupPage />} />
    <Route
      path="/orders/:id/receipt"
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
);
