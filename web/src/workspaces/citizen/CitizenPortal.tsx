/** 市民: file a request with a photo and the place, follow my requests step by step, rate the result. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Segmented } from 'antd';
import { EditOutlined, FileSearchOutlined, StarOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../../api/client';
import type { OrderDetail, Resolution, Satisfaction } from '../../api/types';
import { useMe } from '../../auth/session';
import { useT } from '../../i18n';
import { transition } from '../../orders/ActionModal';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderCardList } from '../../orders/OrderCards';
import { useOrders } from '../../orders/useOrders';
import { ReportForm } from '../../requests/ReportForm';

type View = 'file' | 'mine';

function RateForm({ order, onDone }: { order: OrderDetail; onDone: (o: OrderDetail) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ resolution: Resolution; satisfaction: Satisfaction; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (order.state !== 'replied') return null;
  if (!order.allowedActions.includes('follow_up'))
    return <Alert type="info" showIcon className="rate-box" title={t('citizen.replyArrived')} description={t('citizen.followUpByHotline')} />;
  const submit = async (v: { resolution: Resolution; satisfaction: Satisfaction; note?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const next = await transition(order, 'follow_up', { resolution: v.resolution, satisfaction: v.satisfaction, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
      message.success(t('citizen.thanksRating'));
      onDone(next);
    } catch (err) {
      setError(err instanceof ApiError && err.versionConflict ? t('order.conflict') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="rate-box" aria-labelledby="rate-heading">
      <h4 id="rate-heading">
        <StarOutlined aria-hidden="true" /> {t('citizen.rateHeading')}
      </h4>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="resolution" label={t('act.field.resolution')} rules={[{ required: true, message: t('act.field.choose') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={(['resolved', 'partly', 'unresolved'] as const).map((m) => ({ value: m, label: t(`resolution.${m}`) }))} />
        </Form.Item>
        <Form.Item name="satisfaction" label={t('act.field.satisfaction')} rules={[{ required: true, message: t('act.field.choose') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={(['satisfied', 'basic', 'unsatisfied'] as const).map((m) => ({ value: m, label: t(`satisfaction.${m}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('citizen.rateNote')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block size="large">
          {t('citizen.submitRating')}
        </Button>
      </Form>
    </section>
  );
}

export default function CitizenPortal() {
  const { t } = useT();
  const me = useMe();
  const [view, setView] = useState<View>('file');
  const [openId, setOpenId] = useState<string | null>(null);
  const mine = useOrders(view === 'mine' ? {} : null, { limit: 30 });

  return (
    <div className="phone-page citizen-portal">
      <div className="citizen-hello">
        <div>
          <b>{t('citizen.hello', { name: me.displayName })}</b>
          <div className="muted small">{t('citizen.helloSub')}</div>
        </div>
        <a className="hotline" href="tel:12345" aria-label={t('citizen.callHotline')}>
          12345
        </a>
      </div>
      <Segmented
        block
        size="large"
        value={view}
        onChange={(v) => setView(v as View)}
        aria-label={t('citizen.views')}
        options={[
          { value: 'file', label: t('citizen.file'), icon: <EditOutlined /> },
          { value: 'mine', label: t('citizen.mine'), icon: <FileSearchOutlined /> },
        ]}
        className="phone-tabs"
      />
      {view === 'file' ? (
        <section className="panel" aria-label={t('citizen.file')}>
          <ReportForm
            channel="web"
            types={['complaint', 'help', 'consultation', 'report', 'suggestion', 'praise']}
            defaultType="complaint"
            contactName={me.displayName}
            askContact
            submitLabel={t('citizen.submit')}
            onFiled={() => undefined}
          />
        </section>
      ) : (
        <section className="panel" aria-label={t('citizen.mine')}>
          <OrderCardList
            orders={mine.items}
            loading={mine.loading}
            error={mine.error}
            onRetry={mine.reload}
            onOpen={(o) => setOpenId(o.id)}
            emptyText={t('citizen.mineEmpty')}
            emptyAction={
              <Button type="primary" onClick={() => setView('file')}>
                {t('citizen.file')}
              </Button>
            }
            hasMore={mine.hasMore}
            onMore={mine.more}
            publicView
          />
        </section>
      )}
      <OrderDrawer orderId={openId} onClose={() => setOpenId(null)} only={['comment']} extra={(o, reload) => <RateForm order={o} onDone={() => { reload(); mine.reload(); }} />} onChanged={() => mine.reload()} />
    </div>
  );
}
