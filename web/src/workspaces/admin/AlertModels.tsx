/**
 * 预警模型: the alert models an administrator defines without code — source, rule and its parameters, severity,
 * auto-dispatch — and when an alarm clears by itself (自动解除: back to normal for N minutes, past an optional
 * recovery value; no firing for N minutes; the row renewed). Every save goes through the server's checks, which
 * name each bad field.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useT } from '../../i18n';
import { LoadState } from '../../shell/States';
import { alertModelText, type AlertModelKey } from './alertModelText';

type Tx = (key: AlertModelKey, vars?: Record<string, string | number>) => string;
type SourceType = 'sensor' | 'video' | 'patrol' | 'external';
type RecoveryMode = 'reading' | 'silence' | 'renewal';
type Recovery = { minutes: number; value?: number };

export type AlertModel = {
  id: string;
  name: string;
  description: string;
  kind: string;
  kindLabel: string;
  sourceType: SourceType;
  sourceTypeLabel: string;
  scope: { metric?: string; sensorKind?: string; eventKind?: string; table?: string; sensorIds?: string[] };
  params: Record<string, unknown>;
  recovery: Recovery | null;
  recoveryMode: RecoveryMode | null;
  severity: string;
  severityLabel: string;
  autoDispatch: boolean;
  categoryCode: string | null;
  active: boolean;
  version: number;
};

type Values = {
  name: string;
  description?: string;
  sourceType: SourceType;
  kind: string;
  metric?: string;
  sensorKind?: string;
  eventKind?: string;
  table?: string;
  params: string;
  severity: string;
  autoDispatch: boolean;
  categoryCode?: string;
  active: boolean;
  recoveryOn: boolean;
  recoveryMinutes?: number | null;
  recoveryValue?: number | null;
};

// The server's rule (domain/alarm/rules): which kinds fit which source, and how each kind's alarm recovers.
const kindsBySource: Record<SourceType, string[]> = { sensor: ['threshold', 'duration', 'repeat', 'rate', 'geofence'], video: ['event', 'repeat'], patrol: ['event', 'repeat'], external: ['expiry'] };
const kindLabels: Record<string, string> = { threshold: '阈值', duration: '持续时长', repeat: '重复次数', rate: '变化率', geofence: '电子围栏', expiry: '到期提醒', event: '事件' };
const sourceLabels: Record<SourceType, string> = { sensor: '传感器', video: '视频分析', patrol: '巡查上报', external: '外部数据' };
const severityLabels: Record<string, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };
const modeOf = (kind: string): RecoveryMode => (kind === 'expiry' ? 'renewal' : ['repeat', 'rate', 'event'].includes(kind) ? 'silence' : 'reading');
const takesValue = (kind: string) => kind === 'threshold' || kind === 'duration';

/** The recovery in a few words, for the list. */
export function recoverySummary(tx: Tx, m: Pick<AlertModel, 'kind' | 'recovery' | 'params'>): string {
  if (!m.recovery) return tx('am.manualOnly');
  const mode = modeOf(m.kind);
  if (mode === 'renewal') return tx('am.sum.renewal');
  if (mode === 'silence') return tx('am.sum.silence', { minutes: m.recovery.minutes });
  if (m.recovery.value === undefined) return tx('am.sum.reading', { minutes: m.recovery.minutes });
  // An alarm on high readings recovers below the value, one on low readings above it.
  const high = m.params.op === 'gt' || m.params.op === 'gte';
  return tx(high ? 'am.sum.readingBelow' : 'am.sum.readingAbove', { value: m.recovery.value, minutes: m.recovery.minutes });
}

/** Where a field the server names is on this form (`recovery.minutes` → recoveryMinutes, `params.value` → params). */
function formField(field: string): keyof Values {
  const f = field.replace(/^body\./, '');
  if (f === 'recovery.minutes') return 'recoveryMinutes';
  if (f === 'recovery.value') return 'recoveryValue';
  if (f.startsWith('recovery')) return 'recoveryOn';
  if (f.startsWith('params')) return 'params';
  if (f.startsWith('scope.')) return f.slice('scope.'.length) as keyof Values;
  return f as keyof Values;
}

function valuesOf(m: AlertModel | 'new'): Values {
  if (m === 'new') return { name: '', sourceType: 'sensor', kind: 'threshold', params: '{"op":"gt","value":20}', severity: 'major', autoDispatch: false, active: true, recoveryOn: false, recoveryMinutes: 5, recoveryValue: null };
  return {
    name: m.name,
    description: m.description,
    sourceType: m.sourceType,
    kind: m.kind,
    metric: m.scope.metric ?? '',
    sensorKind: m.scope.sensorKind ?? '',
    eventKind: m.scope.eventKind ?? '',
    table: m.scope.table ?? '',
    params: JSON.stringify(m.params),
    severity: m.severity,
    autoDispatch: m.autoDispatch,
    categoryCode: m.categoryCode ?? '',
    active: m.active,
    recoveryOn: m.recovery !== null,
    recoveryMinutes: m.recovery?.minutes ?? 5,
    recoveryValue: m.recovery?.value ?? null,
  };
}

function ModelModal({ model, tx, onClose, onSaved }: { model: AlertModel | 'new'; tx: Tx; onClose: () => void; onSaved: (m: AlertModel) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const sourceType = Form.useWatch('sourceType', form) ?? (model === 'new' ? 'sensor' : model.sourceType);
  const kind = Form.useWatch('kind', form) ?? (model === 'new' ? 'threshold' : model.kind);
  const recoveryOn = Form.useWatch('recoveryOn', form) ?? (model !== 'new' && model.recovery !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mode = modeOf(kind);
  const initial = useMemo(() => valuesOf(model), [model]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    let params: unknown;
    try {
      params = JSON.parse(v.params);
    } catch {
      params = null;
    }
    if (!params || typeof params !== 'object' || Array.isArray(params)) {
      form.setFields([{ name: 'params', errors: [tx('am.paramsInvalid')] }]);
      return;
    }
    const scope = Object.fromEntries((['metric', 'sensorKind', 'eventKind', 'table'] as const).map((k) => [k, v[k]?.trim()]).filter(([, x]) => x));
    const recovery = !v.recoveryOn
      ? null
      : mode === 'renewal'
        ? { minutes: 0 }
        : { minutes: v.recoveryMinutes ?? 0, ...(takesValue(v.kind) && v.recoveryValue !== null && v.recoveryValue !== undefined ? { value: v.recoveryValue } : {}) };
    const body = {
      name: v.name.trim(),
      description: v.description?.trim() ?? '',
      kind: v.kind,
      sourceType: v.sourceType,
      scope,
      params,
      recovery,
      severity: v.severity,
      autoDispatch: v.autoDispatch,
      categoryCode: v.categoryCode?.trim() || null,
      active: v.active,
    };
    setBusy(true);
    setError(null);
    try {
      const saved = model === 'new' ? await api<AlertModel>('/alert-models', { method: 'POST', body }) : await api<AlertModel>(`/alert-models/${model.id}`, { method: 'PUT', body: { ...body, version: model.version } });
      message.success(tx('am.saved'));
      onSaved(saved);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: formField(f.field), errors: [`${f.field}：${f.reason}`] })));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={tx(model === 'new' ? 'am.create' : 'am.edit')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} width={720} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label={tx('am.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={tx('am.description')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="sourceType" label={tx('am.source')}>
            <Select
              style={{ width: 160 }}
              options={(Object.keys(sourceLabels) as SourceType[]).map((s) => ({ value: s, label: sourceLabels[s] }))}
              onChange={(s: SourceType) => {
                if (!kindsBySource[s].includes(form.getFieldValue('kind') as string)) form.setFieldValue('kind', kindsBySource[s][0]);
              }}
            />
          </Form.Item>
          <Form.Item name="kind" label={tx('am.kind')}>
            <Select style={{ width: 200 }} options={kindsBySource[sourceType].map((k) => ({ value: k, label: `${kindLabels[k]}（${k}）` }))} />
          </Form.Item>
          <Form.Item name="severity" label={tx('am.severity')}>
            <Select style={{ width: 120 }} options={Object.entries(severityLabels).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Space>
        <fieldset className="am-fieldset">
          <legend>{tx('am.scope')}</legend>
          <Space wrap>
            {sourceType === 'sensor' && (
              <>
                <Form.Item name="metric" label={tx('am.metric')}>
                  <Input style={{ width: 200 }} maxLength={40} />
                </Form.Item>
                <Form.Item name="sensorKind" label={tx('am.sensorKind')}>
                  <Input style={{ width: 220 }} maxLength={40} />
                </Form.Item>
              </>
            )}
            {(sourceType === 'video' || sourceType === 'patrol') && (
              <Form.Item name="eventKind" label={tx('am.eventKind')}>
                <Input style={{ width: 240 }} maxLength={40} />
              </Form.Item>
            )}
            {sourceType === 'external' && (
              <Form.Item name="table" label={tx('am.table')}>
                <Input style={{ width: 280 }} maxLength={40} />
              </Form.Item>
            )}
          </Space>
        </fieldset>
        <Form.Item name="params" label={tx('am.params')} extra={tx('am.paramsHint')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} spellCheck={false} />
        </Form.Item>
        <fieldset className="am-fieldset">
          <legend>{tx('am.recovery')}</legend>
          <Form.Item name="recoveryOn" valuePropName="checked" extra={recoveryOn ? tx(mode === 'reading' && kind === 'geofence' ? 'am.mode.geofence' : `am.mode.${mode}`) : undefined}>
            <Switch checkedChildren={tx('am.recovery')} unCheckedChildren={tx('am.manualOnly')} aria-label={tx('am.recoveryOn')} />
          </Form.Item>
          {recoveryOn && mode !== 'renewal' && (
            <Space wrap align="start">
              <Form.Item name="recoveryMinutes" label={tx('am.recoveryMinutes')} rules={[{ required: true }]}>
                <InputNumber min={mode === 'silence' ? 1 : 0} max={10080} precision={0} style={{ width: 140 }} />
              </Form.Item>
              {takesValue(kind) && (
                <Form.Item name="recoveryValue" label={tx('am.recoveryValue')} extra={tx('am.recoveryValueHint')}>
                  <InputNumber style={{ width: 160 }} />
                </Form.Item>
              )}
            </Space>
          )}
        </fieldset>
        <Space wrap>
          <Form.Item name="categoryCode" label={tx('am.category')}>
            <Input style={{ width: 200 }} maxLength={40} />
          </Form.Item>
          <Form.Item name="autoDispatch" label={tx('am.autoDispatch')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={tx('am.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export function AlertModels() {
  const { lang } = useT();
  const tx = useMemo(() => alertModelText(lang), [lang]);
  const list = useApi<{ items: AlertModel[] }>('/alert-models');
  const [editing, setEditing] = useState<AlertModel | 'new' | null>(null);

  const columns: TableColumnsType<AlertModel> = [
    { title: tx('am.name'), dataIndex: 'name', render: (_, m) => (
      <>
        <b>{m.name}</b>
        {!m.active && <Tag style={{ marginLeft: 8 }}>{tx('am.inactive')}</Tag>}
        {m.description && <div className="muted small">{m.description}</div>}
      </>
    ) },
    { title: tx('am.source'), dataIndex: 'sourceTypeLabel', width: 100 },
    { title: tx('am.kind'), dataIndex: 'kindLabel', width: 100 },
    { title: tx('am.severity'), dataIndex: 'severityLabel', width: 80 },
    { title: tx('am.recovery'), key: 'recovery', render: (_, m) => (m.recovery ? <Tag color="green">{recoverySummary(tx, m)}</Tag> : <span className="muted">{tx('am.manualOnly')}</span>) },
    { title: tx('am.autoDispatch'), dataIndex: 'autoDispatch', width: 120, render: (v: boolean) => tx(v ? 'am.yes' : 'am.no') },
    { title: '', key: 'edit', width: 60, render: (_, m) => <Button size="small" icon={<EditOutlined />} aria-label={`${tx('am.edit')} ${m.name}`} onClick={() => setEditing(m)} /> },
  ];

  return (
    <section className="panel" aria-labelledby="am-heading">
      <div className="panel-head">
        <h2 id="am-heading">{tx('am.title')}</h2>
        <div className="spacer" />
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {tx('am.new')}
        </Button>
      </div>
      <LoadState loading={list.loading} error={list.error} onRetry={list.reload} hasData={list.data !== undefined} empty={list.data?.items.length === 0} emptyText={tx('am.empty')}>
        <Table<AlertModel> rowKey="id" size="small" columns={columns} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 720 }} />
      </LoadState>
      {editing && (
        <ModelModal
          model={editing}
          tx={tx}
          onClose={() => setEditing(null)}
          onSaved={(m) => list.setData((old) => ({ items: (old?.items ?? []).some((x) => x.id === m.id) ? (old?.items ?? []).map((x) => (x.id === m.id ? m : x)) : [...(old?.items ?? []), m] }))}
        />
      )}
    </section>
  );
}
