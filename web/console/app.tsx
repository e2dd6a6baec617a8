import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { queryClient } from './query-client';
import { AppRoutes } from './routes';

const antdLocales = { 'zh-CN': zhCN, en: enUS } as const;
const brandColor = '#c0507a';

const LocalizedApp = () => {
  const { i18n, t } = useTranslation();
  const locale = i18n.language === 'en' ? antdLocales.en : antdLocales['zh-CN'];
  const title = t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    // autoInsertSpace off: antd would otherwise render two-character labels as "保 存".
    <ConfigProvider locale={locale} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: brandColor, colorLink: brandColor } }}>
      <AntApp>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
};

export const App = () => (
  <QueryClientProvider client={queryClient}>
    <LocalizedApp />
  </QueryClientProvider>
);
