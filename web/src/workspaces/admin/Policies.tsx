/**
 * Deadline policies (`GET/PUT /policies/deadlines`): one per urgency, with the sign, first-response and reply
 * clocks in minutes, hours, calendar days or working days (China's calendar), and when to warn. Checked here with
 * the server's rules so a clerk sees the problem next to the field, in Chinese; the server checks again.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Input, InputNumber, Select, Space, Tag } from 'antd';
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi } from '../../api/hooks';
import type { ClockKind, DeadlinePolicy, Duration, DurationUnit, Urgency } from '../../api/types';
import { durationUnits } from '../../api/types';
import { useT, type Translate } from '../../i18n';
import { LoadState } from '../../shell/States';

type Problems = Record<string, string>;

const clockKinds: ClockKind[] = ['sign', 'response', 'reply'];
const DAY = 24 * 60;
const minutesOf = (d: Duration) => d.amount * (d.unit === 'minutes' ? 1 : d.unit === 'hours' ? 60 : DAY);
const urgencyColour: Record<Urgency, string> = { emergency: 'red', utility: 'orange', general: 'default', complex: 'blue' };

/** The server's rules (src/domain/deadline/policy.ts), so the clerk sees them before saving; and one more: a warning
 * lead time as long as the reply span would warn at once. */
function check(policies: DeadlinePolicy[], t: Translate): Problems {
  const out: Problems = {};
  policies.forEach((p, i) => {
    if (!p.name.trim()) out[`${i}.name`] = t('admin.policy.err.name');
    for (const k of clockKinds) {
      const d = p.clocks[k];
      if (!d) continue;
      const at = `${i}.clocks.${k}.amount`;
      if (!(d.amount > 0)) out[at] = t('admin.policy.err.positive');
      else if (d.unit !== 'hours' && !Number.isInteger(d.amount)) out[at] = t('admin.policy.err.whole', { unit: t(`admin.policy.unit.${d.unit}`) });
      else if (minutesOf(d) > 366 * DAY) out[at] = t('admin.policy.err.year');
    }
    const { sign, response, reply } = p.clocks;
    if (sign && response && minutesOf(sign) > minutesOf(response)) out[`${i}.clocks.sign.amount`] ??= t('admin.policy.err.signAfterResponse');
    const before = response ?? sign;
    if (before && minutesOf(before) > minutesOf(reply)) out[`${i}.clocks.${response ? 'response' : 'sign'}.amount`] ??= t('admin.policy.err.afterReply');
    const w = p.warnBefore;
    if ('fraction' in w) {
      if (!(w.fraction > 0 && w.fraction < 1)) out[`${i}.warnBefore`] = t('admin.policy.err.fraction');
    } else if (!(w.amount > 0)) out[`${i}.warnBefore`] = t('admin.policy.err.positive');
    else if (minutesOf(w) >= minutesOf(reply)) out[`${i}.warnBefore`] = t('admin.policy.err.warnTooLong');
  });
  return out;
}

function DurationInput({ id, value, onChange, error, label }: { id: string; value: Duration; onChange: (d: Duration) => void; error?: string | undefined; label: string }) {
  const { t } = useT();
  return (
    <Space.Compact className="duration-input">
      <InputNumber
        id={id}
        aria-label={`${label} ${t('admin.policy.amount')}`}
        aria-invalid={error ? true : undefined}
        status={error ? 'error' : undefined}
        min={0}
        step={1}
        value={value.amount}
        onChange={(v) => onChange({ ...value, amount: typeof v === 'number' ? v : 0 })}
        style={{ width: 96 }}
      />
      <Select<DurationUnit>
        aria-label={`${label} ${t('admin.policy.unitLabel')}`}
        value={value.unit}
        onChange={(unit) => onChange({ ...value, unit })}
        options={durationUnits.map((u) => ({ value: u, label: t(`admin.policy.unit.${u}`) }))}
        style={{ width: 132 }}
      />
    </Space.Compact>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div className="field-error" role="alert">
      {text}
    </div>
  );
}

function PolicyCard({ p, i, onChange, problems }: { p: DeadlinePolicy; i: number; onChange: (p: DeadlinePolicy) => void; problems: Problems }) {
  const { t } = useT();
  const err = (k: string) => problems[`${i}.${k}`];
  const setClock = (k: ClockKind, d: Duration | undefined) => {
    const clocks = { ...p.clocks };
    if (d) clocks[k] = d;
    else if (k !== 'reply') delete clocks[k];
    onChange({ ...p, clocks });
  };
  const fraction = 'fraction' in p.warnBefore;
  return (
    <section className="policy-card" aria-labelledby={`policy-${p.code}`}>
      <div className="policy-head">
        <Tag color={urgencyColour[p.urgency]}>{t(`urgency.${p.urgency}`)}</Tag>
        <h3 id={`policy-${p.code}`}>{p.name || p.code}</h3>
        <code className="muted small">{p.code}</code>
      </div>
      <div className="policy-grid">
        <label htmlFor={`p${i}-name`}>{t('admin.policy.name')}</label>
        <div>
          <Input id={`p${i}-name`} value={p.name} maxLength={50} status={err('name') ? 'error' : undefined} onChange={(e) => onChange({ ...p, name: e.target.value })} style={{ maxWidth: 240 }} />
          <FieldError text={err('name')} />
        </div>
        {clockKinds.map((k) => {
          const d = p.clocks[k];
          const label = t(`admin.policy.clock.${k}`);
          const fieldError = err(`clocks.${k}.amount`) ?? err(`clocks.${k}.unit`) ?? err(`clocks.${k}`);
          return (
            <div key={k} className="policy-row">
              <label htmlFor={`p${i}-${k}`}>{label}</label>
              <div>
                {k === 'reply' ? (
                  <Checkbox checked disabled className="clock-toggle">
                    {t('admin.policy.timed')}
                  </Checkbox>
                ) : (
                  <Checkbox
                    checked={d !== undefined}
                    onChange={(e) => setClock(k, e.target.checked ? (k === 'sign' ? { amount: 2, unit: 'hours' } : { amount: 24, unit: 'hours' }) : undefined)}
                    className="clock-toggle"
                  >
                    {t('admin.policy.timed')}
                  </Checkbox>
                )}
                {d ? <DurationInput id={`p${i}-${k}`} label={label} value={d} onChange={(x) => setClock(k, x)} error={fieldError} /> : <span className="muted small">{t('admin.policy.untimed')}</span>}
                <FieldError text={fieldError} />
              </div>
            </div>
          );
        })}
        <label htmlFor={`p${i}-warn`}>{t('admin.policy.warn')}</label>
        <div>
          <Space wrap size={6}>
            <Select
              aria-label={t('admin.policy.warnMode')}
              value={fraction ? 'fraction' : 'duration'}
              onChange={(m) => onChange({ ...p, warnBefore: m === 'fraction' ? { fraction: 0.2 } : { amount: 2, unit: 'hours' } })}
              options={[
                { value: 'fraction', label: t('admin.policy.warnFraction') },
                { value: 'duration', label: t('admin.policy.warnDuration') },
              ]}
              style={{ width: 176 }}
            />
            {'fraction' in p.warnBefore ? (
              <InputNumber
                id={`p${i}-warn`}
                aria-label={t('admin.policy.warnFraction')}
                min={1}
                max={99}
                value={Math.round(p.warnBefore.fraction * 100)}
                suffix="%"
                status={err('warnBefore') ? 'error' : undefined}
                onChange={(v) => onChange({ ...p, warnBefore: { fraction: (typeof v === 'number' ? v : 0) / 100 } })}
                style={{ width: 110 }}
              />
            ) : (
              <DurationInput id={`p${i}-warn`} label={t('admin.policy.warn')} value={p.warnBefore} onChange={(x) => onChange({ ...p, warnBefore: x })} error={err('warnBefore')} />
            )}
          </Space>
          <FieldError text={err('warnBefore') ?? err('warnBefore.fraction') ?? err('warnBefore.amount')} />
        </div>
        <span className="policy-label">{t('admin.policy.pause')}</span>
        <div className="muted small">{p.pauseStates.map((s) => (s === 'extension_pending' ? t('admin.policy.pause.extension') : s)).join('、') || '—'}</div>
      </div>
    </section>
  );
}

export function Policies() {
  const { t } = useT();
  const { message } = App.useApp();
  const loaded = useApi<{ policies: DeadlinePolicy[] }>('/policies/deadlines');
  const [draft, setDraft] = useState<DeadlinePolicy[] | null>(null);
  const [serverProblems, setServerProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    if (loaded.data) setDraft(structuredClone(loaded.data.policies));
  }, [loaded.data]);

  const local = useMemo(() => (draft ? check(draft, t) : {}), [draft, t]);
  const problems = { ...serverProblems, ...(tried ? local : {}) };
  const dirty = draft !== null && loaded.data !== undefined && JSON.stringify(draft) !== JSON.stringify(loaded.data.policies);

  const save = async () => {
    if (!draft) return;
    setTried(true);
    setServerProblems({});
    if (Object.keys(local).length) {
      setError(t('admin.policy.fixFirst', { n: Object.keys(local).length }));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const res = await api<{ policies: DeadlinePolicy[] }>('/policies/deadlines', { method: 'PUT', body: { policies: draft } });
      loaded.setData(() => res);
      setTried(false);
      message.success(t('admin.policy.saved'));
    } catch (err) {
      // `policies.2.clocks.reply.amount` → the third card's reply field.
      if (err instanceof ApiError) setServerProblems(Object.fromEntries(err.fields.map((f) => [f.field.replace(/^(body\.)?policies\./, ''), f.reason])));
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="policies-heading">
      <div className="panel-head">
        <h2 id="policies-heading">{t('admin.policies')}</h2>
        <div className="spacer" />
        <Space wrap>
          <Button icon={<UndoOutlined />} disabled={!dirty || saving} onClick={() => { setDraft(structuredClone(loaded.data!.policies)); setServerProblems({}); setTried(false); setError(null); }}>
            {t('admin.policy.reset')}
          </Button>
          <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={saving} onClick={() => void save()}>
            {t('btn.save')}
          </Button>
        </Space>
      </div>
      <p className="muted">{t('admin.policy.intro')}</p>
      {error && <Alert type="error" showIcon role="alert" title={error} closable={{ onClose: () => setError(null) }} style={{ marginBottom: 12 }} />}
      <LoadState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} hasData={draft !== null}>
        <div className="policy-cards">
          {draft?.map((p, i) => (
            <PolicyCard
              key={p.code}
              p={p}
              i={i}
              problems={problems}
              onChange={(next) => {
                setDraft((d) => d && d.map((x, j) => (j === i ? next : x)));
                setServerProblems({});
              }}
            />
          ))}
        </div>
      </LoadState>
    </section>
  );
}
