/** Users and their roles: find, create with a role and unit, change role/unit, disable, unlock, reset a password. */
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi, useDebounced } from '../../api/hooks';
import { roles, type Role, type UserRow } from '../../api/types';
import { useMe } from '../../auth/session';
import { formatTime, useT } from '../../i18n';
import { UnitSelect } from '../../places/UnitSelect';
import { LoadState } from '../../shell/States';

type Values = { username?: string; displayName: string; role: Role; unitId?: string | null; phone?: string; password?: string; active?: boolean; unlock?: boolean };

const PAGE = 50;

function UserModal({ user, onClose, onSaved }: { user: UserRow | 'new'; onClose: () => void; onSaved: (u: UserRow) => void }) {
  const { t, lang } = useT();
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const creating = user === 'new';
  const self = !creating && user.id === me.userId;
  const locked = !creating && user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    const unitId = v.role === 'citizen' ? null : (v.unitId ?? null);
    try {
      const saved = creating
        ? await api<UserRow>('/users', { method: 'POST', body: { username: v.username?.trim(), displayName: v.displayName.trim(), role: v.role, unitId, ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}), password: v.password } })
        : await api<UserRow>(`/users/${user.id}`, {
            method: 'PATCH',
            body: {
              displayName: v.displayName.trim(),
              role: v.role,
              unitId,
              active: v.active,
              ...(v.unlock ? { unlock: true } : {}),
              ...(v.password ? { password: v.password } : {}),
            },
          });
      message.success(creating ? t('admin.user.created', { name: saved.displayName }) : t('admin.user.saved', { name: saved.displayName }));
      onSaved(saved);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: f.field.replace(/^body\./, '') as keyof Values, errors: [f.reason] })));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={creating ? t('admin.user.new') : t('admin.user.edit', { name: user.username })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>
          {t('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()}>
          {t('btn.save')}
        </Button>,
      ]}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={creating ? { role: 'handler', active: true } : { displayName: user.displayName, role: user.role, unitId: user.unitId, active: user.active }}
        onFinish={() => void submit()}
      >
        {creating && (
          <Form.Item
            name="username"
            label={t('admin.user.username')}
            rules={[
              { required: true, message: t('admin.user.usernameRequired') },
              { pattern: /^[a-z0-9_.-]{3,32}$/, message: t('admin.user.usernameRule') },
            ]}
          >
            <Input autoComplete="off" maxLength={32} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('admin.user.name')} rules={[{ required: true, whitespace: true, message: t('admin.user.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label={t('admin.user.role')} rules={[{ required: true }]} extra={self ? t('admin.user.selfHint') : undefined}>
          <Select disabled={self} options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {role !== 'citizen' && (
          <Form.Item name="unitId" label={t('admin.user.unit')} rules={[{ required: true, message: t('admin.user.unitRequired') }]} extra={t('admin.user.unitHint')}>
            <UnitSelect known={!creating && user.unitId ? [{ code: user.unitId, name: user.unitName ?? user.unitId }] : []} />
          </Form.Item>
        )}
        {creating && (
          <Form.Item name="phone" label={t('admin.user.phone')} rules={[{ pattern: /^[0-9+\-\s]{5,20}$/, message: t('intake.contactPhoneInvalid') }]}>
            <Input maxLength={20} inputMode="tel" autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={creating ? t('admin.user.password') : t('admin.user.resetPassword')}
          rules={[...(creating ? [{ required: true, message: t('admin.user.passwordRequired') }] : []), { min: 10, message: t('admin.user.passwordMin') }]}
          extra={creating ? undefined : t('admin.user.resetHint')}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
        {!creating && (
          <Space size={24} wrap>
            <Form.Item name="active" label={t('admin.user.status')} valuePropName="checked">
              <Switch checkedChildren={t('admin.user.active')} unCheckedChildren={t('admin.user.disabled')} disabled={self} />
            </Form.Item>
            {locked && (
              <Form.Item name="unlock" label={t('admin.user.locked', { time: formatTime(user.lockedUntil, lang) })} valuePropName="checked">
                <Checkbox>{t('admin.user.unlock')}</Checkbox>
              </Form.Item>
            )}
          </Space>
        )}
      </Form>
    </Modal>
  );
}

export function Users() {
  const { t, lang } = useT();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [role, setRole] = useState<Role | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE), ...(q ? { q } : {}), ...(role ? { role } : {}) });
  const users = useApi<{ total: number; items: UserRow[] }>(`/users?${query.toString()}`);
  const rows = users.data?.items ?? [];
  const columns: TableColumnsType<UserRow> = [
    { title: t('admin.user.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
    { title: t('admin.user.name'), dataIndex: 'displayName' },
    { title: t('admin.user.role'), dataIndex: 'role', render: (r: UserRow['role']) => <Tag color="blue">{t(`role.${r}`)}</Tag> },
    { title: t('admin.user.unit'), key: 'unit', render: (_: unknown, u) => u.unitName ?? u.unitId ?? '—' },
    {
      title: t('admin.user.status'),
      key: 'status',
      render: (_: unknown, u) => (
        <Space size={4} wrap>
          {u.active ? <Tag color="green">{t('admin.user.active')}</Tag> : <Tag>{t('admin.user.disabled')}</Tag>}
          {u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() && <Tag color="error">{t('admin.user.lockedShort')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.user.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatTime(v, lang, true) : <span className="muted">—</span>) },
    {
      title: t('order.actions'),
      key: 'edit',
      width: 90,
      render: (_: unknown, u) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} aria-label={t('admin.user.edit', { name: u.username })}>
          {t('btn.edit')}
        </Button>
      ),
    },
  ];
  return (
    <section className="panel" aria-labelledby="users-heading">
      <div className="panel-head">
        <h2 id="users-heading">{t('admin.users')}</h2>
        {users.data && <span className="muted small">{t('admin.total', { n: users.data.total })}</span>}
        <div className="spacer" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.user.new')}
        </Button>
      </div>
      <div className="toolbar">
        <Input
          prefix={<SearchOutlined />}
          placeholder={t('admin.user.search')}
          aria-label={t('admin.user.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          allowClear
          className="toolbar-search"
        />
        <Select<Role>
          aria-label={t('admin.user.role')}
          placeholder={t('admin.user.allRoles')}
          allowClear
          value={role}
          onChange={(r) => {
            setRole(r);
            setPage(1);
          }}
          options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          style={{ width: 150 }}
        />
      </div>
      <LoadState loading={users.loading} error={users.error} onRetry={users.reload} hasData={users.data !== undefined} empty={users.data !== undefined && rows.length === 0} emptyText={q || role ? t('admin.user.noMatch') : t('admin.user.empty')}>
        <Table<UserRow>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={users.loading}
          pagination={{ current: page, pageSize: PAGE, total: users.data?.total ?? 0, hideOnSinglePage: true, showSizeChanger: false, onChange: setPage }}
          scroll={{ x: 760 }}
        />
      </LoadState>
      {editing && <UserModal user={editing} onClose={() => setEditing(null)} onSaved={() => users.reload()} />}
    </section>
  );
}
