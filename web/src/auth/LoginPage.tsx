/** Sign in; in demo mode, one button per demo account. */
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../api/client';
import type { Role } from '../api/types';
import { useT } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { LangSwitch, PageLoading } from '../shell/Shell';
import { workspaceAt, workspaceOf } from '../workspaces/registry';
import { useSession } from './session';

export const DEMO_PASSWORD = 'Jiesu@2026';

const demoAccounts: { username: string; role: Role; note: MessageKey }[] = [
  { username: 'agent', role: 'agent', note: 'demo.agent' },
  { username: 'dispatcher', role: 'dispatcher', note: 'demo.dispatcher' },
  { username: 'supervisor', role: 'supervisor', note: 'demo.supervisor' },
  { username: 'wangjing', role: 'handler', note: 'demo.wangjing' },
  { username: 'jiuxianqiao', role: 'handler', note: 'demo.jiuxianqiao' },
  { username: 'chengguan', role: 'handler', note: 'demo.chengguan' },
  { username: 'water', role: 'handler', note: 'demo.water' },
  { username: 'grid', role: 'grid_worker', note: 'demo.grid' },
  { username: 'leader_cy', role: 'leader', note: 'demo.leader_cy' },
  { username: 'leader', role: 'leader', note: 'demo.leader' },
  { username: 'admin', role: 'admin', note: 'demo.admin' },
  { username: 'citizen', role: 'citizen', note: 'demo.citizen' },
];

/** Demo buttons show when the server says it runs in demo mode; without that endpoint, only on localhost. */
function useDemoMode(): boolean {
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(window.location.hostname);
  const [demo, setDemo] = useState(local);
  useEffect(() => {
    api<{ demo?: boolean }>('/meta').then(
      (m) => setDemo(Boolean(m.demo)),
      (err: unknown) => setDemo(err instanceof ApiError && err.notAvailable ? local : false),
    );
  }, [local]);
  return demo;
}

export function LoginPage() {
  const { me, checking, login } = useSession();
  const { t } = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const demo = useDemoMode();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ username: string; password: string }>();

  if (checking) return <PageLoading />;
  const from = (location.state as { from?: string } | null)?.from;
  if (me) {
    const target = from && workspaceAt(from)?.roles.includes(me.role) ? from : workspaceOf(me.role).path;
    return <Navigate to={target} replace />;
  }

  const signIn = async (username: string, password: string) => {
    setBusy(username);
    setError(null);
    try {
      const m = await login(username, password);
      const target = from && workspaceAt(from)?.roles.includes(m.role) ? from : workspaceOf(m.role).path;
      void navigate(target, { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <LangSwitch />
      </div>
      <section className="login-hero" aria-hidden="false">
        <div className="login-mark" aria-hidden="true">
          接
        </div>
        <h1 className="login-title">{t('login.title')}</h1>
        <p className="login-sub">{t('login.subtitle')}</p>
        <ul className="login-points">
          <li>{t('login.point1')}</li>
          <li>{t('login.point2')}</li>
          <li>{t('login.point3')}</li>
        </ul>
      </section>
      <section className="login-card" aria-labelledby="login-heading">
        <h2 id="login-heading">{t('login.heading')}</h2>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void signIn(v.username.trim(), v.password)} autoComplete="on">
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" size="large" autoFocus />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy !== null && busy === form.getFieldValue('username')}>
            {t('login.submit')}
          </Button>
        </Form>
        {demo && (
          <div className="demo-accounts">
            <h3>{t('login.demoHeading')}</h3>
            <p className="muted">{t('login.demoHint', { password: DEMO_PASSWORD })}</p>
            <div className="demo-grid">
              {demoAccounts.map((a) => (
                <Button key={a.username} className="demo-btn" onClick={() => void signIn(a.username, DEMO_PASSWORD)} loading={busy === a.username} disabled={busy !== null && busy !== a.username} data-username={a.username}>
                  <span className="demo-role">{t(a.note)}</span>
                  <span className="demo-note">
                    {a.username} · {t(`role.${a.role}`)}
                  </span>
                </Button>
              ))}
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
