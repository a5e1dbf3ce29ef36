/** 受理台: record a call, see the platform's proposal as you type, accept and dispatch in one key; follow up replies. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Select, Tabs, TreeSelect, type InputRef } from 'antd';
import { SendOutlined, InboxOutlined } from '@ant-design/icons';
import { api, ApiError, errorText, newIdempotencyKey } from '../../api/client';
import { useApi, useDebounced } from '../../api/hooks';
import type { Category, NewRequest, OrderDetail, Proposal, Ref, RequestType, Urgency } from '../../api/types';
import { requestTypes, urgencies } from '../../api/types';
import { useT } from '../../i18n';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderList } from '../../orders/OrderList';
import { CountBadge } from '../../orders/OrderBits';
import { useOrderCounts, useOrders } from '../../orders/useOrders';
import { PlacePicker, UnitSelect, type Place } from '../../places/UnitSelect';
import { MapPickButton } from '../../places/MapPick';
import type { Coords } from '../../places/Locate';
import { ProposalPanel } from './ProposalPanel';
import { categoryTree } from '../../catalogue/categoryTree';

type Intake = {
  type: RequestType;
  title: string;
  body: string;
  address?: string;
  place: Place;
  categoryCode?: string;
  urgency: Urgency;
  contactName?: string;
  contactPhone: string;
  leadUnit?: string;
  coUnits?: string[];
  answerText?: string;
};

const blank: Partial<Intake> = { type: 'complaint', urgency: 'general', place: {} };

function useProposal(title: string, body: string, address: string, coords: Coords | null) {
  const input = useDebounced({ title: title.trim(), body: body.trim(), address: address.trim(), lat: coords?.lat, lng: coords?.lng }, 300);
  const [state, setState] = useState<{ proposal: Proposal | null; loading: boolean; error: unknown }>({ proposal: null, loading: false, error: null });
  useEffect(() => {
    if (input.title.length + input.body.length < 6) {
      setState({ proposal: null, loading: false, error: null });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<Proposal>('/requests/propose', { method: 'POST', body: { title: input.title || input.body.slice(0, 30), body: input.body || input.title, ...(input.address ? { address: input.address } : {}), ...(input.lat !== undefined && input.lng !== undefined ? { lat: input.lat, lng: input.lng } : {}) }, signal: ctl.signal }).then(
      (proposal) => setState({ proposal, loading: false, error: null }),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setState({ proposal: null, loading: false, error });
      },
    );
    return () => ctl.abort();
  }, [input]);
  return { ...state, typing: title.length + body.length > 0 };
}

export default function AgentConsole() {
  const { t } = useT();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Intake>();
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState<'dispatch' | 'accept' | null>(null);
  const [answering, setAnswering] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [tab, setTab] = useState('recent');
  // Fields the agent set by hand: a later proposal must not overwrite them.
  const touched = useRef(new Set<string>());
  const titleRef = useRef<InputRef>(null);
  const categories = useApi<Category[]>('/categories');
  const tree = useMemo(() => categoryTree(categories.data), [categories.data]);

  const title = Form.useWatch('title', form) ?? '';
  const body = Form.useWatch('body', form) ?? '';
  const address = Form.useWatch('address', form) ?? '';
  const type = Form.useWatch('type', form) ?? 'complaint';
  const categoryCode = Form.useWatch('categoryCode', form);
  const [coords, setCoords] = useState<Coords | null>(null);
  const { proposal, loading, error: proposalError, typing } = useProposal(title, body, address, coords);
  const [knownUnits, setKnownUnits] = useState<Ref[]>([]);

  // Apply each new proposal to the fields the agent has not set.
  useEffect(() => {
    if (!proposal) return;
    const patch: Partial<Intake> = {};
    if (proposal.category && !touched.current.has('categoryCode')) {
      patch.categoryCode = proposal.category.code;
      const cat = categories.data?.find((c) => c.code === proposal.category!.code);
      if (cat && !touched.current.has('urgency')) patch.urgency = cat.urgency;
    }
    if (!touched.current.has('place') && (proposal.location.district || proposal.location.street)) {
      patch.place = { districtCode: proposal.location.district?.code, streetCode: proposal.location.street?.code, communityCode: proposal.location.community?.code };
    }
    if (!touched.current.has('leadUnit') && proposal.leadUnit) {
      patch.leadUnit = proposal.leadUnit.code;
      patch.coUnits = proposal.coUnits.map((u) => u.code);
      setKnownUnits([proposal.leadUnit, ...proposal.coUnits]);
    }
    form.setFieldsValue(patch);
  }, [proposal, form, categories.data]);

  const recent = useOrders(tab === 'recent' ? {} : null, { limit: 20 });
  const toFollow = useOrders(tab === 'toFollow' ? { state: 'replied' } : null, { limit: 50 });
  const toClose = useOrders(tab === 'toClose' ? { state: 'followed_up' } : null, { limit: 50 });
  const followCount = useOrderCounts({ state: 'replied' });
  const closeCount = useOrderCounts({ state: 'followed_up' });

  const reset = () => {
    form.resetFields();
    setCoords(null);
    touched.current.clear();
    setKnownUnits([]);
    setIdempotencyKey(newIdempotencyKey());
    setError(null);
    // Ready for the next call without touching the mouse.
    window.setTimeout(() => titleRef.current?.focus(), 0);
  };

  const submit = async (mode: 'dispatch' | 'accept', answer?: { knowledgeId?: string; text: string }) => {
    let v: Intake;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const req: NewRequest = {
      type: v.type,
      title: v.title.trim(),
      body: v.body.trim(),
      channel: 'hotline',
      urgency: v.urgency,
      contact: { name: v.contactName?.trim() || t('intake.anonymous'), phone: v.contactPhone.trim() },
      ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      ...(coords ? { lat: coords.lat, lng: coords.lng } : {}),
      ...(v.place?.districtCode ? { districtCode: v.place.districtCode } : {}),
      ...(v.place?.streetCode ? { streetCode: v.place.streetCode } : {}),
      ...(v.place?.communityCode ? { communityCode: v.place.communityCode } : {}),
      ...(v.categoryCode ? { categoryCode: v.categoryCode } : {}),
    };
    if (answer) req.answer = answer;
    else if (mode === 'dispatch') req.dispatch = v.leadUnit ? { leadUnitCode: v.leadUnit, ...(v.coUnits?.length ? { coUnitCodes: v.coUnits } : {}) } : 'auto';
    else req.dispatch = 'review';
    setBusy(mode);
    setError(null);
    try {
      const res = await api<{ request: { id: string; no: string }; order: OrderDetail | null }>('/requests', { method: 'POST', body: req, headers: { 'Idempotency-Key': idempotencyKey } });
      const no = res.order?.no ?? res.request.no;
      message.success({
        content: (
          <span>
            {answer ? t('agent.closedOnSpot', { no }) : t('agent.accepted', { no })}
            {res.order && (
              <Button type="link" size="small" onClick={() => setOpenId(res.order!.id)}>
                {t('btn.view')}
              </Button>
            )}
          </span>
        ),
        duration: 6,
      });
      reset();
      recent.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const map: Record<string, string> = { 'contact.name': 'contactName', 'contact.phone': 'contactPhone', districtCode: 'place', streetCode: 'place', communityCode: 'place', 'dispatch.leadUnitCode': 'leadUnit' };
        form.setFields(err.fields.map((f) => ({ name: (map[f.field] ?? f.field) as keyof Intake, errors: [f.reason] })));
      }
      setError(errorText(err));
    } finally {
      setBusy(null);
      setAnswering(null);
    }
  };

  const onAnswer = (k: { id: string; title: string; answer: string }) => {
    modal.confirm({
      title: t('agent.answerConfirmTitle'),
      content: (
        <div>
          <b>{k.title}</b>
          <p className="kb-answer open">{k.answer}</p>
        </div>
      ),
      okText: t('agent.answerAndClose'),
      onOk: async () => {
        if (!form.getFieldValue('title')) form.setFieldsValue({ title: k.title });
        setAnswering(k.id);
        await submit('accept', { knowledgeId: k.id, text: k.answer });
      },
    });
  };

  // Ctrl+Enter: accept and dispatch; for a consultation with an answer typed, answer and close on the spot.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      if (busy) return;
      if (type !== 'consultation') return void submit('dispatch');
      const text = (form.getFieldValue('answerText') as string | undefined)?.trim();
      if (text) {
        setAnswering('manual');
        void submit('accept', { text });
      } else void submit('accept');
    }
  };

  return (
    <div className="agent-console">
      <div className="agent-grid">
        <section className="panel intake" aria-labelledby="intake-heading" onKeyDown={onKeyDown}>
          <div className="panel-head">
            <h2 id="intake-heading">{t('agent.intake')}</h2>
            <span className="muted small">{t(type === 'consultation' ? 'agent.shortcutConsult' : 'agent.shortcut')}</span>
          </div>
          {error && <Alert type="error" showIcon title={error} role="alert" closable={{ onClose: () => setError(null) }} style={{ marginBottom: 12 }} />}
          <Form<Intake>
            form={form}
            layout="vertical"
            initialValues={blank}
           
            onValuesChange={(changed) => {
              for (const k of Object.keys(changed)) if (['categoryCode', 'place', 'urgency', 'leadUnit', 'coUnits'].includes(k)) touched.current.add(k === 'coUnits' ? 'leadUnit' : k);
            }}
          >
            <div className="form-row">
              <Form.Item name="type" label={t('intake.type')} className="grow">
                <Radio.Group optionType="button" buttonStyle="solid" options={requestTypes.map((x) => ({ value: x, label: t(`type.${x}`) }))} className="type-radio" />
              </Form.Item>
              <Form.Item name="urgency" label={t('intake.urgency')} className="w-urgency">
                <Select options={urgencies.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
              </Form.Item>
            </div>
            <Form.Item name="title" label={t('intake.title')} rules={[{ required: true, whitespace: true, message: t('intake.titleRequired') }]}>
              <Input ref={titleRef} maxLength={100} showCount placeholder={t('intake.titlePlaceholder')} autoFocus />
            </Form.Item>
            <Form.Item name="body" label={t('intake.body')} rules={[{ required: true, whitespace: true, message: t('intake.bodyRequired') }]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} showCount placeholder={t('intake.bodyPlaceholder')} />
            </Form.Item>
            <Form.Item label={t('intake.address')} htmlFor="intake-address">
              <div className="address-row">
                <Form.Item name="address" noStyle>
                  <Input id="intake-address" maxLength={200} placeholder={t('intake.addressPlaceholder')} />
                </Form.Item>
                <MapPickButton value={coords} onChange={setCoords} />
              </div>
              {coords && (
                <span className="muted small">
                  {t('place.picked')}：{coords.lat.toFixed(5)}, {coords.lng.toFixed(5)}{' '}
                  <Button type="link" size="small" onClick={() => setCoords(null)}>
                    {t('btn.clear')}
                  </Button>
                </span>
              )}
            </Form.Item>
            <Form.Item name="place" label={t('intake.place')} tooltip={t('intake.placeHint')}>
              <PlaceField />
            </Form.Item>
            <div className="form-row">
              <Form.Item name="categoryCode" label={t('intake.category')} className="grow-2">
                <TreeSelect
                  treeData={tree}
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  allowClear
                  loading={categories.loading}
                  placeholder={t('intake.categoryPlaceholder')}
                  treeDefaultExpandAll={false}
                  styles={{ popup: { root: { maxHeight: 420, overflow: 'auto' } } }}
                />
              </Form.Item>
              <Form.Item name="contactName" label={t('intake.contactName')} className="grow">
                <Input maxLength={40} autoComplete="off" placeholder={t('intake.contactNamePlaceholder')} />
              </Form.Item>
              <Form.Item
                name="contactPhone"
                label={t('intake.contactPhone')}
                rules={[
                  { required: true, message: t('intake.contactPhoneRequired') },
                  { pattern: /^[0-9+\-\s]{5,20}$/, message: t('intake.contactPhoneInvalid') },
                ]}
                className="grow"
              >
                <Input maxLength={20} inputMode="tel" autoComplete="off" />
              </Form.Item>
            </div>
            {type !== 'consultation' && (
              <div className="form-row dispatch-row">
                <Form.Item name="leadUnit" label={t('intake.leadUnit')} className="grow" tooltip={t('intake.leadUnitHint')}>
                  <UnitSelect known={knownUnits} />
                </Form.Item>
                <Form.Item name="coUnits" label={t('intake.coUnits')} className="grow">
                  <UnitSelect multiple known={knownUnits} />
                </Form.Item>
              </div>
            )}
            {type === 'consultation' && (
              <Form.Item name="answerText" label={t('intake.answer')} extra={t('intake.answerHint')}>
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('intake.answerPlaceholder')} />
              </Form.Item>
            )}
            <div className="form-actions">
              {type === 'consultation' ? (
                <>
                  <Button
                    type="primary"
                    size="large"
                    icon={<SendOutlined />}
                    loading={busy === 'accept' && answering === 'manual'}
                    onClick={() => {
                      const text = (form.getFieldValue('answerText') as string | undefined)?.trim();
                      if (!text) {
                        form.setFields([{ name: 'answerText', errors: [t('intake.answerRequired')] }]);
                        return;
                      }
                      setAnswering('manual');
                      void submit('accept', { text });
                    }}
                  >
                    {t('agent.answerAndClose')}
                    <kbd className="kbd">Ctrl+Enter</kbd>
                  </Button>
                  <Button size="large" icon={<InboxOutlined />} loading={busy === 'accept' && answering === null} onClick={() => void submit('accept')}>
                    {t('agent.acceptOnly')}
                  </Button>
                </>
              ) : (
                <>
                  <Button type="primary" size="large" icon={<SendOutlined />} loading={busy === 'dispatch'} onClick={() => void submit('dispatch')}>
                    {t('agent.acceptAndDispatch')}
                    <kbd className="kbd">Ctrl+Enter</kbd>
                  </Button>
                  <Button size="large" icon={<InboxOutlined />} loading={busy === 'accept'} onClick={() => void submit('accept')}>
                    {t('agent.acceptToReview')}
                  </Button>
                </>
              )}
              <Button size="large" type="text" onClick={reset}>
                {t('btn.clear')}
              </Button>
            </div>
          </Form>
        </section>
        <ProposalPanel
          proposal={proposal}
          loading={loading}
          error={proposalError}
          typing={typing}
          isConsultation={type === 'consultation'}
          chosenCategory={categoryCode}
          onPickCategory={(code) => {
            touched.current.add('categoryCode');
            form.setFieldsValue({ categoryCode: code });
          }}
          onOpenOrder={setOpenId}
          onAnswer={onAnswer}
          answering={answering}
        />
      </div>
      <section className="panel" aria-label={t('agent.orders')}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'recent',
              label: t('agent.recent'),
              children: <OrderList orders={recent.items} loading={recent.loading} error={recent.error} onRetry={recent.reload} onOpen={(o) => setOpenId(o.id)} emptyText={t('agent.recentEmpty')} hasMore={recent.hasMore} onMore={recent.more} />,
            },
            {
              key: 'toFollow',
              label: (
                <span>
                  {t('agent.toFollow')} <CountBadge counts={followCount} tone="purple" />
                </span>
              ),
              children: <OrderList orders={toFollow.items} loading={toFollow.loading} error={toFollow.error} onRetry={toFollow.reload} onOpen={(o) => setOpenId(o.id)} emptyText={t('agent.toFollowEmpty')} hasMore={toFollow.hasMore} onMore={toFollow.more} />,
            },
            {
              key: 'toClose',
              label: (
                <span>
                  {t('agent.toClose')} <CountBadge counts={closeCount} />
                </span>
              ),
              children: <OrderList orders={toClose.items} loading={toClose.loading} error={toClose.error} onRetry={toClose.reload} onOpen={(o) => setOpenId(o.id)} emptyText={t('agent.toCloseEmpty')} hasMore={toClose.hasMore} onMore={toClose.more} />,
            },
          ]}
        />
      </section>
      <OrderDrawer
        orderId={openId}
        onClose={() => setOpenId(null)}
        onChanged={() => {
          recent.reload();
          toFollow.reload();
          toClose.reload();
        }}
      />
    </div>
  );
}

/** The place cascade as a form control (value/onChange come from Form.Item). */
function PlaceField({ value, onChange }: { value?: Place; onChange?: (p: Place) => void }) {
  return <PlacePicker value={value ?? {}} onChange={(p) => onChange?.(p)} />;
}
