/** 接口与密钥: API keys (create, rotate, revoke, calls) and webhooks (subscriptions, delivery log with attempts, replay). */
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi } from '../../api/hooks';
import { formatTime, useT } from '../../i18n';
import { UnitSelect } from '../../places/UnitSelect';
import { LoadState } from '../../shell/States';

type ApiKey = {
  id: string;
  prefix: string;
  systemName: string;
  ownerUnit: { code: string; name: string };
  scopes: string[];
  services: string[] | null;
  rateLimitPerMinute: number;
  createdAt: string;
  rotatedAt: string | null;
  previousValidUntil: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  usesLast24h: number;
};
type KeyUse = { id: number; at: string; method: string; route: string; status: number; ip: string | null };
type Subscription = { id: string; url: string; events: string[]; description: string | null; active: boolean; keyId: string | null; keyPrefix: string | null; createdAt: string };
type Attempt = { attempt: number; at: string; statusCode: number | null; durationMs: number; error: string | null };
type Delivery = { id: number; subscriptionId: string; event: string; orderId: string | null; status: 'pending' | 'succeeded' | 'failed'; attempts: number; lastStatusCode: number | null; lastError: string | null; lastDurationMs: number | null; deliveredAt: string | null; replayOf: number | null; createdAt: string; log: Attempt[] };

const scopes = ['open311:read', 'open311:write', 'webhooks:manage', 'exchange'] as const;
const scopeNames: Record<string, string> = { 'open311:read': 'Open311 读取', 'open311:write': 'Open311 提交', 'webhooks:manage': '管理 Webhook', exchange: '平台间交换' };

/** The whole key or secret, once, with a copy button. */
function SecretOnce({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useT();
  return (
    <Modal open title={t('integ.secretTitle')} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t('btn.close')}</Button>}>
      <Alert type="warning" showIcon title={t('integ.secretOnce')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable={{ text: secret }} code style={{ wordBreak: 'break-all' }}>
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}

type KeyValues = { systemName: string; ownerUnitCode: string; scopes: string[]; services?: string[]; rateLimitPerMinute: number };

function NewKeyModal({ onClose, onCreated }: { onClose: () => void; onCreated: (key: string) => void }) {
  const { t } = useT();
  const [form] = Form.useForm<KeyValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let v: KeyValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ key: string }>('/integrations/keys', { method: 'POST', body: { systemName: v.systemName.trim(), ownerUnitCode: v.ownerUnitCode, scopes: v.scopes, ...(v.services?.length ? { services: v.services } : {}), rateLimitPerMinute: v.rateLimitPerMinute } });
      onCreated(res.key);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: f.field.replace(/^body\./, '') as keyof KeyValues, errors: [f.reason] })));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('integ.newKey')} onCancel={onClose} destroyOnHidden okText={t('btn.save')} cancelText={t('btn.cancel')} confirmLoading={busy} onOk={() => void submit()}>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form<KeyValues> form={form} layout="vertical" initialValues={{ scopes: ['open311:read', 'open311:write'], rateLimitPerMinute: 120 }}>
        <Form.Item name="systemName" label={t('integ.system')} rules={[{ required: true, whitespace: true, message: t('integ.systemRequired') }]}>
          <Input maxLength={100} placeholder="朝阳区网格化管理系统" />
        </Form.Item>
        <Form.Item name="ownerUnitCode" label={t('integ.owner')} rules={[{ required: true, message: t('integ.ownerRequired') }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="scopes" label={t('integ.scopes')} rules={[{ required: true, type: 'array', min: 1, message: t('integ.scopesRequired') }]}>
          <Checkbox.Group options={scopes.map((s) => ({ value: s, label: scopeNames[s] }))} />
        </Form.Item>
        <Form.Item name="services" label={t('integ.services')} extra={t('integ.servicesHint')}>
          <Select mode="tags" tokenSeparators={[',', ' ']} open={false} />
        </Form.Item>
        <Form.Item name="rateLimitPerMinute" label={t('integ.rate')} rules={[{ required: true }]}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function KeysTab() {
  const { t, lang } = useT();
  const { modal, message } = App.useApp();
  const keys = useApi<{ items: ApiKey[] }>('/integrations/keys');
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [usesOf, setUsesOf] = useState<ApiKey | null>(null);
  const uses = useApi<{ items: KeyUse[] }>(usesOf ? `/integrations/keys/${usesOf.id}/uses?limit=200` : null);

  const rotate = (k: ApiKey) => {
    let hours = 24;
    modal.confirm({
      title: `${t('integ.rotate')} · ${k.systemName}`,
      content: (
        <Space>
          {t('integ.overlapHours')}
          <InputNumber min={0} max={720} defaultValue={24} onChange={(v) => (hours = v ?? 0)} aria-label={t('integ.overlapHours')} />
        </Space>
      ),
      onOk: async () => {
        try {
          const res = await api<{ key: string }>(`/integrations/keys/${k.id}/rotate`, { method: 'POST', body: { overlapHours: hours } });
          setSecret(res.key);
          keys.reload();
        } catch (err) {
          void message.error(errorText(err));
        }
      },
    });
  };
  const revoke = (k: ApiKey) => {
    let reason = '';
    modal.confirm({
      title: t('integ.revokeConfirm', { name: k.systemName }),
      okButtonProps: { danger: true },
      content: <Input.TextArea rows={2} maxLength={500} placeholder={t('integ.reason')} aria-label={t('integ.reason')} onChange={(e) => (reason = e.target.value)} />,
      onOk: async () => {
        if (!reason.trim()) {
          void message.error(t('integ.reasonRequired'));
          throw new Error('reason');
        }
        try {
          await api(`/integrations/keys/${k.id}/revoke`, { method: 'POST', body: { reason: reason.trim() } });
          keys.reload();
        } catch (err) {
          void message.error(errorText(err));
        }
      },
    });
  };

  const columns: TableColumnsType<ApiKey> = [
    { title: t('integ.system'), dataIndex: 'systemName' },
    { title: t('integ.prefix'), dataIndex: 'prefix', render: (v: string) => <code>{v}</code> },
    { title: t('integ.owner'), key: 'owner', render: (_: unknown, k) => k.ownerUnit.name },
    { title: t('integ.scopes'), dataIndex: 'scopes', render: (v: string[]) => v.map((s) => <Tag key={s}>{scopeNames[s] ?? s}</Tag>) },
    { title: t('integ.services'), dataIndex: 'services', render: (v: string[] | null) => (v ? v.join('、') : <span className="muted">{t('integ.servicesAll')}</span>) },
    { title: t('integ.rate'), dataIndex: 'rateLimitPerMinute', align: 'right' },
    { title: t('integ.uses24h'), dataIndex: 'usesLast24h', align: 'right' },
    { title: t('integ.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatTime(v, lang) : '—') },
    {
      title: t('integ.status'),
      key: 'status',
      render: (_: unknown, k) =>
        k.revokedAt ? (
          <Tag color="error">{t('integ.revoked')}</Tag>
        ) : (
          <Space size={4} wrap>
            <Tag color="green">{t('integ.active')}</Tag>
            {k.previousValidUntil && <Tag color="orange">{t('integ.overlap', { time: formatTime(k.previousValidUntil, lang) })}</Tag>}
          </Space>
        ),
    },
    {
      title: t('order.actions'),
      key: 'actions',
      render: (_: unknown, k) => (
        <Space size={4}>
          <Button size="small" onClick={() => setUsesOf(k)}>
            {t('integ.usesLog')}
          </Button>
          <Button size="small" disabled={!!k.revokedAt} onClick={() => rotate(k)}>
            {t('integ.rotate')}
          </Button>
          <Button size="small" danger disabled={!!k.revokedAt} onClick={() => revoke(k)}>
            {t('integ.revoke')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <div className="toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('integ.newKey')}
        </Button>
      </div>
      <LoadState loading={keys.loading} error={keys.error} onRetry={keys.reload} hasData={keys.data !== undefined}>
        <Table<ApiKey> size="small" rowKey="id" columns={columns} dataSource={keys.data?.items ?? []} pagination={false} scroll={{ x: 1100 }} />
      </LoadState>
      {creating && (
        <NewKeyModal
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setSecret(k);
            keys.reload();
          }}
        />
      )}
      {secret && <SecretOnce secret={secret} onClose={() => setSecret(null)} />}
      <Drawer open={usesOf !== null} onClose={() => setUsesOf(null)} title={usesOf ? `${t('integ.usesLog')} · ${usesOf.systemName}` : ''} size="large">
        <LoadState loading={uses.loading} error={uses.error} onRetry={uses.reload} hasData={uses.data !== undefined}>
          <Table<KeyUse>
            size="small"
            rowKey="id"
            dataSource={uses.data?.items ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              { title: t('integ.time'), dataIndex: 'at', render: (v: string) => formatTime(v, lang, true) },
              { title: t('integ.method'), dataIndex: 'method' },
              { title: t('integ.route'), dataIndex: 'route', render: (v: string) => <code>{v}</code> },
              { title: t('integ.lastStatus'), dataIndex: 'status', render: (v: number) => <Tag color={v < 400 ? 'green' : v === 429 ? 'orange' : 'error'}>{v}</Tag> },
              { title: 'IP', dataIndex: 'ip' },
            ]}
          />
        </LoadState>
      </Drawer>
    </>
  );
}

type HookValues = { url: string; events: string[]; keyId?: string; description?: string };

function WebhooksTab() {
  const { t, lang } = useT();
  const { message } = App.useApp();
  const subs = useApi<{ items: Subscription[] }>('/integrations/webhooks');
  const events = useApi<{ items: { event: string; label: string }[] }>('/integrations/webhooks/events');
  const keys = useApi<{ items: ApiKey[] }>('/integrations/keys');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const deliveries = useApi<{ items: Delivery[] }>(`/integrations/webhooks/deliveries?limit=100${status ? `&status=${status}` : ''}`);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<HookValues>();
  const [busy, setBusy] = useState(false);
  const label = (e: string) => events.data?.items.find((x) => x.event === e)?.label ?? e;

  const create = async () => {
    let v: HookValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const res = await api<{ secret: string }>('/integrations/webhooks', { method: 'POST', body: { url: v.url.trim(), events: v.events, ...(v.keyId ? { keyId: v.keyId } : {}), ...(v.description?.trim() ? { description: v.description.trim() } : {}) } });
      setCreating(false);
      setSecret(res.secret);
      subs.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: f.field.replace(/^body\./, '') as keyof HookValues, errors: [f.reason] })));
      else void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (s: Subscription, active: boolean) => {
    try {
      await api(`/integrations/webhooks/${s.id}`, { method: 'PATCH', body: { active } });
      subs.reload();
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  const replay = async (d: Delivery) => {
    try {
      const r = await api<{ id: number }>(`/integrations/webhooks/deliveries/${d.id}/replay`, { method: 'POST' });
      void message.success(t('integ.replayed', { id: r.id }));
      deliveries.reload();
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  const statusTag = (s: Delivery['status']) => <Tag color={s === 'succeeded' ? 'green' : s === 'failed' ? 'error' : 'blue'}>{t(`integ.delivery.${s}`)}</Tag>;

  return (
    <>
      <Alert type="info" showIcon title={t('integ.signingHelp')} style={{ marginBottom: 12 }} />
      <div className="toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('integ.newWebhook')}
        </Button>
      </div>
      <LoadState loading={subs.loading} error={subs.error} onRetry={subs.reload} hasData={subs.data !== undefined}>
        <Table<Subscription>
          size="small"
          rowKey="id"
          dataSource={subs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: t('integ.url'), dataIndex: 'url', render: (v: string) => <code>{v}</code> },
            { title: t('integ.events'), dataIndex: 'events', render: (v: string[]) => v.map((e) => <Tag key={e}>{label(e)}</Tag>) },
            { title: t('integ.ownerKey'), dataIndex: 'keyPrefix', render: (v: string | null) => (v ? <code>{v}</code> : <span className="muted">{t('integ.noKey')}</span>) },
            { title: t('integ.description'), dataIndex: 'description' },
            { title: t('integ.enabled'), dataIndex: 'active', render: (v: boolean, s) => <Switch size="small" checked={v} onChange={(on) => void toggle(s, on)} aria-label={t('integ.enabled')} /> },
          ]}
        />
      </LoadState>
      <div className="panel-head" style={{ marginTop: 16 }}>
        <h3>{t('integ.deliveries')}</h3>
        <div className="spacer" />
        <Select
          allowClear
          placeholder={t('integ.status')}
          aria-label={t('integ.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 120 }}
          options={(['pending', 'succeeded', 'failed'] as const).map((s) => ({ value: s, label: t(`integ.delivery.${s}`) }))}
        />
        <Button icon={<ReloadOutlined />} onClick={deliveries.reload} aria-label={t('btn.refresh')} />
      </div>
      <LoadState loading={deliveries.loading} error={deliveries.error} onRetry={deliveries.reload} hasData={deliveries.data !== undefined}>
        <Table<Delivery>
          size="small"
          rowKey="id"
          dataSource={deliveries.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          expandable={{
            expandedRowRender: (d) => (
              <Table<Attempt>
                size="small"
                rowKey="attempt"
                pagination={false}
                dataSource={d.log}
                columns={[
                  { title: t('integ.attempts'), dataIndex: 'attempt', render: (n: number) => t('integ.attempt', { n }) },
                  { title: t('integ.time'), dataIndex: 'at', render: (v: string) => formatTime(v, lang, true) },
                  { title: t('integ.lastStatus'), dataIndex: 'statusCode', render: (v: number | null) => v ?? '—' },
                  { title: t('integ.duration'), dataIndex: 'durationMs', render: (v: number) => `${v} ms` },
                  { title: t('integ.error'), dataIndex: 'error', render: (v: string | null) => v ?? '—' },
                ]}
              />
            ),
            rowExpandable: (d) => d.log.length > 0,
          }}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            { title: t('integ.event'), dataIndex: 'event', render: (v: string) => label(v) },
            { title: t('integ.status'), dataIndex: 'status', render: statusTag },
            { title: t('integ.attempts'), dataIndex: 'attempts', align: 'right' },
            { title: t('integ.lastStatus'), dataIndex: 'lastStatusCode', render: (v: number | null) => v ?? '—' },
            { title: t('integ.duration'), dataIndex: 'lastDurationMs', render: (v: number | null) => (v === null ? '—' : `${v} ms`) },
            { title: t('integ.error'), dataIndex: 'lastError', render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—') },
            { title: t('integ.time'), dataIndex: 'createdAt', render: (v: string) => formatTime(v, lang, true) },
            {
              title: t('order.actions'),
              key: 'replay',
              render: (_: unknown, d) => (
                <Button size="small" onClick={() => void replay(d)}>
                  {t('integ.replay')}
                </Button>
              ),
            },
          ]}
        />
      </LoadState>
      <Modal open={creating} title={t('integ.newWebhook')} onCancel={() => setCreating(false)} destroyOnHidden okText={t('btn.save')} cancelText={t('btn.cancel')} confirmLoading={busy} onOk={() => void create()}>
        <Form<HookValues> form={form} layout="vertical" preserve={false} initialValues={{ events: ['order.created', 'order.dispatched', 'order.replied', 'order.closed', 'order.reopened'] }}>
          <Form.Item name="url" label={t('integ.url')} rules={[{ required: true, type: 'url', message: t('integ.urlRequired') }]}>
            <Input maxLength={500} placeholder="https://example.gov.cn/hooks/jiesu" />
          </Form.Item>
          <Form.Item name="events" label={t('integ.events')} rules={[{ required: true, type: 'array', min: 1, message: t('integ.eventsRequired') }]}>
            <Checkbox.Group options={(events.data?.items ?? []).map((e) => ({ value: e.event, label: e.label }))} />
          </Form.Item>
          <Form.Item name="keyId" label={t('integ.ownerKey')}>
            <Select allowClear placeholder={t('integ.noKey')} options={(keys.data?.items ?? []).filter((k) => !k.revokedAt).map((k) => ({ value: k.id, label: `${k.systemName}（${k.prefix}）` }))} />
          </Form.Item>
          <Form.Item name="description" label={t('integ.description')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      {secret && <SecretOnce secret={secret} onClose={() => setSecret(null)} />}
    </>
  );
}

export function Integrations() {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="integrations-heading">
      <div className="panel-head">
        <h2 id="integrations-heading">{t('admin.integrations')}</h2>
      </div>
      <Tabs
        items={[
          { key: 'keys', label: t('integ.keys'), children: <KeysTab /> },
          { key: 'webhooks', label: t('integ.webhooks'), children: <WebhooksTab /> },
        ]}
      />
    </section>
  );
}
