/** 巡查上报: a grid worker files what they found on patrol — kind, grid, photos, a note — into 一网统管 (POST /patrol-reports). */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, List, Select, Tag } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { ApiError, api, errorText } from '../../api/client';
import { useT } from '../../i18n';
import { AttachmentInput } from '../../orders/AttachmentInput';

type GridFeature = { properties: { code: string; name: string; demo: boolean } };
type PatrolReport = { id: string; kindLabel: string; description: string; at: string; gridId: string | null; alarm: { no: string; state: string } | null; order: { no: string } | null };
type Values = { kind: string; gridCode?: string; description: string; photos?: string[] };

const KINDS = ['road_damage', 'facility_damage', 'illegal_parking', 'garbage', 'street_vending', 'illegal_ad', 'ponding', 'other'] as const;

export function PatrolForm() {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [grids, setGrids] = useState<GridFeature[]>([]);
  const [mine, setMine] = useState<PatrolReport[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [point, setPoint] = useState<{ lng: number; lat: number } | null>(null);

  const load = () => {
    api<{ items: PatrolReport[] }>('/patrol-reports', { query: { mine: true, limit: 10 } })
      .then((r) => setMine(r.items))
      .catch(() => undefined);
  };
  useEffect(() => {
    api<{ features: GridFeature[] }>('/grids')
      .then((r) => setGrids(r.features))
      .catch(() => undefined);
    load();
  }, []);

  const locate = () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (p) => setPoint({ lng: p.coords.longitude, lat: p.coords.latitude }),
      () => message.warning(t('patrol.noLocation')),
      { timeout: 8000 },
    );
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ report: PatrolReport; alarms: { no: string }[] }>('/patrol-reports', {
        body: { kind: v.kind, description: v.description, ...(v.gridCode ? { gridCode: v.gridCode } : point ? point : {}), attachmentIds: v.photos ?? [] },
      });
      message.success(res.alarms[0] ? t('patrol.savedAlarm', { no: res.alarms[0].no }) : t('patrol.saved'));
      form.resetFields();
      setPoint(null);
      load();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: (f.field === 'attachmentIds' ? 'photos' : f.field) as keyof Values, errors: [f.reason] })));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: 'facility_damage' }}>
        <Form.Item name="kind" label={t('patrol.kind')} rules={[{ required: true }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`patrol.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="gridCode" label={t('patrol.grid')} extra={point ? t('patrol.located', { lng: point.lng.toFixed(5), lat: point.lat.toFixed(5) }) : t('patrol.gridHint')}>
          <Select allowClear placeholder={t('patrol.gridPlaceholder')} options={grids.map((g) => ({ value: g.properties.code, label: `${g.properties.name}${g.properties.demo ? ` (${t('patrol.demo')})` : ''}` }))} />
        </Form.Item>
        <Button icon={<EnvironmentOutlined />} onClick={locate} style={{ marginBottom: 16 }} block>
          {t('patrol.useLocation')}
        </Button>
        <Form.Item name="description" label={t('patrol.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('patrol.descriptionRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('patrol.descriptionPlaceholder')} />
        </Form.Item>
        <Form.Item name="photos" label={t('patrol.photos')}>
          <AttachmentInput photo max={9} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block size="large">
          {t('patrol.submit')}
        </Button>
      </Form>
      {mine.length > 0 && (
        <List
          header={<strong>{t('patrol.mine')}</strong>}
          dataSource={mine}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <span>
                    {r.kindLabel} {r.alarm && <Tag color="orange">{r.alarm.no}</Tag>} {r.order && <Tag color="blue">{r.order.no}</Tag>}
                  </span>
                }
                description={`${new Date(r.at).toLocaleString('zh-CN')} · ${r.description}`}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
