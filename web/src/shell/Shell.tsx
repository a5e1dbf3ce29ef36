/** The frame around every workspace: a top bar with the workspace, the user, unit, role, language and sign-out. */
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Dropdown, Spin, Tooltip } from 'antd';
import { AppstoreOutlined, DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { OrderEventsProvider, useLiveStatus } from '../api/events';
import { useIsPhone } from '../api/hooks';
import { useSession } from '../auth/session';
import { useT } from '../i18n';
import { workspaceAt, workspaceOf, workspaces, type Workspace } from '../workspaces/registry';

export function LangSwitch() {
  const { lang, setLang, t } = useT();
  return (
    <Button
      size="small"
      type="text"
      className="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      aria-label={t('shell.switchLanguage')}
      title={t('shell.switchLanguage')}
    >
      {lang === 'zh' ? 'EN' : '中文'}
    </Button>
  );
}

function LiveDot() {
  const status = useLiveStatus();
  const { t } = useT();
  const label = t(`live.${status}`);
  return (
    <Tooltip title={t('live.hint')}>
      <span className={`live-dot live-${status}`} role="status" aria-label={label}>
        <i aria-hidden="true" />
        <span className="live-label">{label}</span>
      </span>
    </Tooltip>
  );
}

/** The workspace's title; a menu of the others when the role may open more than one (a supervisor's 派单中心, 领导驾驶舱
 * and 指挥大屏). */
function WorkspaceTitle({ ws, mine }: { ws: Workspace; mine: readonly Workspace[] }) {
  const { t } = useT();
  const navigate = useNavigate();
  const title = <h1 className="ws-title">{t(ws.title)}</h1>;
  if (mine.length < 2) return title;
  return (
    <>
      {title}
      <Dropdown
        trigger={['click']}
        menu={{ selectable: true, selectedKeys: [ws.id], items: mine.map((w) => ({ key: w.id, label: t(w.title), onClick: () => void navigate(w.path) })) }}
      >
        <Button size="small" type="text" className="ws-switch" icon={<AppstoreOutlined />} aria-label={t('shell.switchWorkspace')} title={t('shell.switchWorkspace')}>
          <DownOutlined aria-hidden="true" className="ws-switch-caret" />
        </Button>
      </Dropdown>
    </>
  );
}

function TopBar() {
  const { me, logout } = useSession();
  const { t } = useT();
  const phone = useIsPhone();
  const location = useLocation();
  if (!me) return null;
  const ws = workspaceAt(location.pathname) ?? workspaceOf(me.role);
  const roleLabel = t(`role.${me.role}`);
  return (
    <header className="topbar">
      <div className="brand" aria-label={t('brand.name')}>
        <span className="brand-mark" aria-hidden="true">
          接
        </span>
        {!phone && <span className="brand-name">{t('brand.short')}</span>}
      </div>
      <WorkspaceTitle ws={ws} mine={workspaces.filter((w) => w.roles.includes(me.role))} />
      <div className="topbar-spacer" />
      <LiveDot />
      {phone ? (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'who', label: `${me.displayName} · ${roleLabel}`, disabled: true },
              ...(me.unitName ? [{ key: 'unit', label: me.unitName, disabled: true }] : []),
              { type: 'divider' as const },
              { key: 'logout', icon: <LogoutOutlined />, label: t('shell.logout'), onClick: () => void logout() },
            ],
          }}
        >
          <Button type="text" icon={<UserOutlined />} aria-label={t('shell.account')} className="topbar-user-btn" />
        </Dropdown>
      ) : (
        <div className="topbar-user">
          <span className="user-name">{me.displayName}</span>
          <span className="role-chip">{roleLabel}</span>
          {me.unitName && <span className="user-unit">{me.unitName}</span>}
        </div>
      )}
      <LangSwitch />
      {!phone && (
        <Button size="small" type="text" icon={<LogoutOutlined />} onClick={() => void logout()} className="topbar-logout">
          {t('shell.logout')}
        </Button>
      )}
    </header>
  );
}

export function PageLoading() {
  const { t } = useT();
  return (
    <div className="centered page-loading" role="status" aria-live="polite">
      <Spin size="large" />
      <span className="muted">{t('state.loading')}</span>
    </div>
  );
}

/** Signed-in layout; sends visitors to the login page, and a role to its own workspace. */
export function Shell() {
  const { me, checking } = useSession();
  const location = useLocation();
  if (checking) return <PageLoading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const ws = workspaceAt(location.pathname);
  if (!ws || !ws.roles.includes(me.role)) return <Navigate to={workspaceOf(me.role).path} replace />;
  return (
    <OrderEventsProvider enabled>
      <div className={`app ws-${ws.id}`}>
        <TopBar />
        <main className="workspace" id="main">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </OrderEventsProvider>
  );
}
