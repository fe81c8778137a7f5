import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../i18n';
import './app.css';
import { Root } from './root';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
