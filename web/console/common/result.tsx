import { lazy } from 'react';

/**
 * antd's Result, fetched when first shown (a 403, a 404, a failed load): its status pictures are
 * large and no first screen needs them. Shown inside the router's Suspense (a spinner meanwhile).
 */
export const Result = lazy(() => import('antd/es/result'));
