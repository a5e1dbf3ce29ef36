/** 网格员: my tasks on the street, report a problem found on patrol (photo + place), check a fix on site. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Segmented } from 'antd';
import { CameraOutlined, CheckSquareOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client';
import type { OrderDetail } from '../../api/types';
import { useMe } from '../../auth/session';
import { translate, useT } from '../../i18n';
import { transition } from '../../orders/ActionModal';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderCardList } from '../../orders/OrderCards';
import { useOrders } from '../../orders/useOrders';
import { ReportForm } from '../../requests/ReportForm';

type View = 'tasks' | 'report' | 'check';

/** Record an on-site check of a reply as a comment on the order (the API has no separate check action yet). */
function CheckForm({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ result: 'fixed' | 'not_fixed'; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!order.allowedActions.includes('comment')) return null;
  const submit = async (v: { result: 'fixed' | 'not_fixed'; note?: string }) => {
    setBusy(true);
    setError(null);
    try {
      // Stored in the order's history, so always in Chinese whatever the screen's language.
      const text = `【${translate('zh', 'grid.checkTag')}】${translate('zh', v.result === 'fixed' ? 'grid.fixed' : 'grid.notFixed')}${v.note?.trim() ? `：${v.note.trim()}` : ''}`;
      await transition(order, 'comment', { text });
      message.success(t('grid.checkSaved'));
      form.resetFields();
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="check-box" aria-labelledby="check-heading">
      <h4 id="check-heading">
        <CheckSquareOutlined aria-hidden="true" /> {t('grid.checkHeading')}
      </h4>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="result" label={t('grid.checkResult')} rules={[{ required: true, message: t('act.field.choose') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'fixed', label: t('grid.fixed') },
              { value: 'not_fixed', label: t('grid.notFixed') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('grid.checkNote')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('grid.checkNotePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('grid.saveCheck')}
        </Button>
      </Form>
    </section>
  );
}

export default function GridWorker() {
  const { t } = useT();
  const me = useMe();
  const [view, setView] = useState<View>('tasks');
  const [openId, setOpenId] = useState<string | null>(null);
  const tasks = useOrders(view === 'tasks' ? { state: 'dispatched,signed,responded,in_progress,returned,parked' } : null, { limit: 50 });
  const checks = useOrders(view === 'check' ? { state: 'replied' } : null, { limit: 50 });
  const streetCode = me.unitLevel === 'street' ? (me.unitId ?? undefined) : undefined;
  const districtCode = streetCode ? streetCode.slice(0, 6) : undefined;

  return (
    <div className="phone-page grid-worker">
      <Segmented
        block
        size="large"
        value={view}
        onChange={(v) => setView(v as View)}
        aria-label={t('grid.views')}
        options={[
          { value: 'tasks', label: t('grid.tasks'), icon: <UnorderedListOutlined /> },
          { value: 'report', label: t('grid.report'), icon: <CameraOutlined /> },
          { value: 'check', label: t('grid.check'), icon: <CheckSquareOutlined /> },
        ]}
        className="phone-tabs"
      />
      {view === 'tasks' && (
        <section className="panel" aria-label={t('grid.tasks')}>
          <OrderCardList orders={tasks.items} loading={tasks.loading} error={tasks.error} onRetry={tasks.reload} onOpen={(o) => setOpenId(o.id)} emptyText={t('grid.tasksEmpty')} hasMore={tasks.hasMore} onMore={tasks.more} />
        </section>
      )}
      {view === 'report' && (
        <section className="panel" aria-label={t('grid.report')}>
          <h2 className="panel-title">{t('grid.reportHeading')}</h2>
          <ReportForm
            channel="app"
            types={['help', 'complaint', 'report', 'suggestion']}
            defaultType="help"
            defaultPlace={{ districtCode, streetCode }}
            contactName={me.displayName}
            askContact
            submitLabel={t('grid.submitReport')}
            onFiled={() => undefined}
          />
        </section>
      )}
      {view === 'check' && (
        <section className="panel" aria-label={t('grid.check')}>
          <p className="muted">{t('grid.checkIntro')}</p>
          <OrderCardList orders={checks.items} loading={checks.loading} error={checks.error} onRetry={checks.reload} onOpen={(o) => setOpenId(o.id)} emptyText={t('grid.checkEmpty')} />
        </section>
      )}
      <OrderDrawer
        orderId={openId}
        onClose={() => setOpenId(null)}
        only={[]}
        extra={(o, reload) => (o.state === 'replied' ? <CheckForm order={o} onDone={reload} /> : null)}
        onChanged={() => {
          tasks.reload();
          checks.reload();
        }}
      />
    </div>
  );
}
