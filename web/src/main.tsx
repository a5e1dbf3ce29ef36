/** Entry: language, antd theme and locale, session, router. */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import { I18nProvider, useT } from './i18n';
import { SessionProvider } from './auth/session';
import { App } from './App';
import './shell/app.css';

const theme = {
  token: {
    colorPrimary: '#1d4f91',
    colorInfo: '#1d4f91',
    colorError: '#c62828',
    colorWarning: '#d46b08',
    colorSuccess: '#2e7d32',
    // antd derives washed-out greys from dark seed colours; name the light tints explicitly.
    colorPrimaryBg: '#e8f0fa',
    colorPrimaryBgHover: '#d4e3f5',
    colorPrimaryBorder: '#a9c3e6',
    colorInfoBg: '#e8f0fa',
    colorInfoBorder: '#b7cdeb',
    colorSuccessBg: '#edf7ed',
    colorSuccessBorder: '#b7dfb9',
    colorErrorBg: '#fdecea',
    colorErrorBorder: '#f5c2c0',
    colorWarningBg: '#fff4e5',
    colorWarningBorder: '#ffd8a8',
    borderRadius: 6,
    fontFamily: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif",
  },
};

function Localized({ children }: { children: ReactNode }) {
  const { lang } = useT();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Localized>
        <SessionProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </SessionProvider>
      </Localized>
    </I18nProvider>
  </StrictMode>,
);
