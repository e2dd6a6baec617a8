import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalApp } from './portal-app';
import './global.css';

const container = document.getElementById('root');
if (!container) throw new Error('missing #root element');

// React 18: antd-mobile 5 renders Toast/Dialog itself, no unstableSetRender shim needed.
createRoot(container).render(
  <StrictMode>
    <PortalApp />
  </StrictMode>,
);
