/** 网格员: my tasks on the street, report a problem found on patrol (photo + place), check a fix on site. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Radio, Segmented } from 'antd';
import { AlertOutlined, CameraOutlined, CheckSquareOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../../api/client';
import type { OnSiteResult, OrderDetail } from '../../api/types';
import { useMe } from '../../auth/session';
import { useT } from '../../i18n';
import { AttachmentInput } from '../../orders/AttachmentInput';
import { CountBadge } from '../../orders/OrderBits';
import { transition } from '../../orders/ActionModal';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { OrderCardList } from '../../orders/OrderCards';
import { useOrderCounts, useOrders } from '../../orders/useOrders';
import { ReportForm } from '../../requests/ReportForm';
import { PatrolForm } from './PatrolForm';

type View = 'tasks' | 'report' | 'patrol' | 'check';

/** Where a fix is waiting to be checked on site: replied, or already followed up and not yet closed. */
const checkStates = 'replied,followed_up';

type CheckValues = { result: OnSiteResult; note?: string; photos?: string[] };

/** 核查: go and look, say whether the fix holds, with photos; a failed check says what is still wrong. */
function CheckForm({ order, onDone }: { order: OrderDetail; onDone: (o: OrderDetail) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CheckValues>();
  const result = Form.useWatch('result', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!order.allowedActions.includes('verify_on_site')) return null;
  const submit = async (v: CheckValues) => {
    setBusy(true);
    setError(null);
    try {
      const note = v.note?.trim();
      const next = await transition(order, 'verify_on_site', { result: v.result, ...(note ? { note } : {}), ...(v.photos?.length ? { attachmentIds: v.photos } : {}) });
      message.success(t('grid.checkSaved'));
      form.resetFields();
      onDone(next);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.map((f) => ({ name: (f.field === 'attachmentIds' ? 'photos' : f.field) as keyof CheckValues, errors: [f.reason] })));
      }
      setError(err instanceof ApiError && err.versionConflict ? t('order.conflict') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="check-box" aria-labelledby="check-heading">
      <h4 id="check-heading">
        <CheckSquareOutlined aria-hidden="true" /> {t('grid.checkHeading')}
      </h4>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="result" label={t('grid.checkResult')} rules={[{ required: true, message: t('grid.checkResultRequired') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            className="check-result"
            options={[
              { value: 'passed', label: t('grid.fixed') },
              { value: 'failed', label: t('grid.notFixed') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('grid.checkNote')}
          rules={result === 'failed' ? [{ required: true, whitespace: true, message: t('grid.checkNoteRequired') }] : []}
          extra={result === 'failed' ? t('grid.checkNoteHint') : undefined}
        >
          <Input.TextArea rows={2} maxLength={1000} placeholder={result === 'failed' ? t('grid.checkNoteFailedPlaceholder') : t('grid.checkNotePlaceholder')} />
        </Form.Item>
        <Form.Item name="photos" label={t('grid.checkPhotos')}>
          <AttachmentInput photo max={6} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block size="large" danger={result === 'failed'}>
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
  const checks = useOrders(view === 'check' ? { state: checkStates } : null, { limit: 50 });
  const toCheck = useOrderCounts({ state: checkStates });
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
          { value: 'patrol', label: t('grid.patrol'), icon: <AlertOutlined /> },
          {
            value: 'check',
            label: (
              <span>
                {t('grid.check')} <CountBadge counts={toCheck} tone="purple" />
              </span>
            ),
            icon: <CheckSquareOutlined />,
          },
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
      {view === 'patrol' && (
        <section className="panel" aria-label={t('grid.patrol')}>
          <h2 className="panel-title">{t('grid.patrolHeading')}</h2>
          <PatrolForm />
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
        extra={(o, reload) => (
          <CheckForm
            order={o}
            onDone={() => {
              reload();
              checks.reload();
            }}
          />
        )}
        onChanged={() => {
          tasks.reload();
          checks.reload();
        }}
      />
    </div>
  );
}
