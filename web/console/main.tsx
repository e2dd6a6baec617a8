import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { initI18n } from './i18n';
import './global.css';

const container = document.getElementById('root');
if (!container) throw new Error('missing #root element');

const render = () =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

initI18n().then(render, (error: unknown) => {
  container.textContent = `悦会无法启动 / Yuehui failed to start: ${String(error)}`;
});
