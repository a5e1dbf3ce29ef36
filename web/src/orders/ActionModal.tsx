/** One dialog for every order action: asks for exactly the fields that action needs, then posts the transition. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { api, ApiError, errorText } from '../api/client';
import type { OrderDetail, OrderPage, Proposal, Ref } from '../api/types';
import { useT } from '../i18n';
import { UnitSelect } from '../places/UnitSelect';
import { AttachmentInput } from './AttachmentInput';
import { actionSpecs, formFieldOf, payloadOf } from './actions';
import type { MessageKey } from '../i18n/zh';

/** POST a transition. `await transition(order, 'sign', {})` → the order as it is now. */
export function transition(order: { id: string; version: number }, action: string, payload: Record<string, unknown>): Promise<OrderDetail> {
  return api<OrderDetail>(`/orders/${order.id}/transitions`, { method: 'POST', body: { action, version: order.version, ...payload } });
}

function OrderSearch({ value, onChange, exclude, id }: { value?: string; onChange?: (v: string) => void; exclude: string; id?: string }) {
  const { t } = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = (q: string) => {
    if (!q.trim()) return;
    api<OrderPage>('/orders', { query: { q: q.trim(), limit: 20 } }).then(
      (p) => setOptions(p.items.filter((o) => o.id !== exclude).map((o) => ({ value: o.id, label: `${o.no} ${o.title}` }))),
      () => setOptions([]),
    );
  };
  return (
    <Select
      {...(id ? { id } : {})}
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      options={options}
      placeholder={t('act.field.intoOrderPlaceholder')}
      notFoundContent={t('unit.typeToSearch')}
    />
  );
}

type Props = {
  order: OrderDetail;
  action: string | null;
  onClose: () => void;
  onDone: (o: OrderDetail) => void;
  onConflict: () => void;
};

export function ActionModal({ order, action, onClose, onDone, onConflict }: Props) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [suggested, setSuggested] = useState<{ lead: Ref | null; co: Ref[] } | null>(null);
  // A weak reply is flagged with its reasons before it goes out; sending the same text again sends it anyway.
  const [weakReply, setWeakReply] = useState<{ text: string; score: number; reasons: string[] } | null>(null);
  const spec = action ? actionSpecs[action] : undefined;
  const fields = spec?.fields ?? [];
  const needsUnit = fields.includes('leadUnit');

  useEffect(() => {
    setError(null);
    form.resetFields();
    setSuggested(null);
    setWeakReply(null);
    if (!action || !needsUnit) return;
    // Suggest the lead unit from the order's text, as the intake console does.
    api<Proposal>('/requests/propose', { method: 'POST', body: { title: order.title, body: order.body, ...(order.address ? { address: order.address } : {}) } }).then(
      (p) => {
        setSuggested({ lead: p.leadUnit, co: p.coUnits });
        if (p.leadUnit && action === 'dispatch' && !form.getFieldValue('leadUnit')) {
          form.setFieldsValue({ leadUnit: p.leadUnit.code, coUnits: p.coUnits.map((u) => u.code) });
        }
      },
      () => setSuggested({ lead: null, co: [] }),
    );
  }, [action, needsUnit, order.id, order.title, order.body, order.address, form]);

  if (!action || !spec) return null;
  const label = t(`act.${action}` as MessageKey);

  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (action === 'reply') {
        const text = String(values.text ?? '');
        if (weakReply?.text !== text) {
          const check = await api<{ score: number; weak: boolean; reasons: string[] }>(`/orders/${order.id}/reply-check`, { method: 'POST', body: { text } }).catch(() => null);
          if (check?.weak) {
            setWeakReply({ text, score: check.score, reasons: check.reasons });
            return;
          }
        }
      }
      const next = await transition(order, action, payloadOf(action, values));
      message.success(t('act.done', { action: label }));
      onDone(next);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.versionConflict) {
        message.warning(t('order.conflict'));
        onConflict();
        onClose();
        return;
      }
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.map((f) => ({ name: formFieldOf[f.field] ?? f.field, errors: [f.reason] })));
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const knownUnits = [...(suggested?.lead ? [suggested.lead] : []), ...(suggested?.co ?? []), ...(order.leadUnit ? [order.leadUnit] : []), ...order.coUnits];
  const required = (key: MessageKey) => [{ required: true, whitespace: true, message: t(key) }];

  return (
    <Modal
      open
      title={`${label} · ${order.no}`}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={spec.tone === 'danger'} loading={busy} onClick={() => void submit()}>
          {weakReply ? t('reply.sendAnyway') : label}
        </Button>,
      ]}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      {weakReply && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={t('reply.weak', { score: Math.round(weakReply.score * 100) })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {weakReply.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      {fields.length === 0 && <p>{t('act.confirm', { action: label, no: order.no })}</p>}
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        {needsUnit && suggested?.lead && (
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            title={t('act.suggestedUnit', { unit: suggested.lead.name })}
            action={
              <Button size="small" onClick={() => form.setFieldsValue({ leadUnit: suggested.lead!.code, coUnits: suggested.co.map((u) => u.code) })}>
                {t('btn.use')}
              </Button>
            }
          />
        )}
        {needsUnit && (
          <Form.Item name="leadUnit" label={t('act.field.leadUnit')} rules={[{ required: true, message: t('act.field.leadUnitRequired') }]}>
            <UnitSelect known={knownUnits} />
          </Form.Item>
        )}
        {fields.includes('coUnits') && (
          <Form.Item name="coUnits" label={t('act.field.coUnits')}>
            <UnitSelect multiple known={knownUnits} />
          </Form.Item>
        )}
        {fields.includes('contactMethod') && (
          <Form.Item name="contactMethod" label={t('act.field.contactMethod')} initialValue="phone" rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={(['phone', 'sms', 'visit', 'other'] as const).map((m) => ({ value: m, label: t(`contact.${m}`) }))} />
          </Form.Item>
        )}
        {fields.includes('resolution') && (
          <Form.Item name="resolution" label={t('act.field.resolution')} rules={[{ required: true, message: t('act.field.choose') }]}>
            <Radio.Group optionType="button" options={(['resolved', 'partly', 'unresolved'] as const).map((m) => ({ value: m, label: t(`resolution.${m}`) }))} />
          </Form.Item>
        )}
        {fields.includes('satisfaction') && (
          <Form.Item name="satisfaction" label={t('act.field.satisfaction')} rules={[{ required: true, message: t('act.field.choose') }]}>
            <Radio.Group optionType="button" options={(['satisfied', 'basic', 'unsatisfied', 'no_answer'] as const).map((m) => ({ value: m, label: t(`satisfaction.${m}`) }))} />
          </Form.Item>
        )}
        {fields.includes('text') && (
          <Form.Item
            name="text"
            label={action === 'reply' ? t('act.field.replyText') : t('act.field.comment')}
            rules={[...required('act.field.textRequired'), ...(action === 'reply' ? [{ min: 10, message: t('act.field.replyMin') }] : [])]}
          >
            <Input.TextArea rows={action === 'reply' ? 5 : 3} showCount maxLength={2000} placeholder={action === 'reply' ? t('act.field.replyPlaceholder') : ''} />
          </Form.Item>
        )}
        {fields.includes('days') && (
          <Form.Item name="days" label={t('act.field.days')} rules={[{ required: true, message: t('act.field.daysRequired') }]}>
            <InputNumber min={1} max={60} suffix={t('time.days')} style={{ width: 160 }} />
          </Form.Item>
        )}
        {fields.includes('daysOptional') && (
          <Form.Item name="days" label={t('act.field.daysApprove')} extra={t('act.field.daysApproveHint')}>
            <InputNumber min={1} max={60} suffix={t('time.days')} style={{ width: 160 }} />
          </Form.Item>
        )}
        {fields.includes('planDate') && (
          <Form.Item name="planDate" label={t('act.field.planDate')} rules={[{ required: true, message: t('act.field.planDateRequired') }]}>
            <Input type="date" style={{ width: 200 }} />
          </Form.Item>
        )}
        {fields.includes('intoOrder') && (
          <Form.Item name="intoOrder" label={t('act.field.intoOrder')} rules={[{ required: true, message: t('act.field.intoOrderRequired') }]}>
            <OrderSearch exclude={order.id} />
          </Form.Item>
        )}
        {fields.includes('reason') && (
          <Form.Item name="reason" label={t('act.field.reason')} rules={required('act.field.reasonRequired')}>
            <Input.TextArea rows={3} showCount maxLength={1000} placeholder={action === 'return' ? t('act.field.returnPlaceholder') : ''} />
          </Form.Item>
        )}
        {(fields.includes('note') || fields.includes('noteRequired')) && (
          <Form.Item
            name="note"
            label={action === 'respond' ? t('act.field.contactNote') : t('act.field.note')}
            rules={fields.includes('noteRequired') ? required('act.field.noteRequired') : []}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        )}
        {fields.includes('attachments') && (
          <Form.Item name="attachments" label={action === 'return' ? t('act.field.evidence') : t('act.field.attachments')}>
            <AttachmentInput photo={action === 'reply'} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
