/** File a request from a phone: what, where (address, place, GPS), photos, contact. Used by citizens and grid workers. */
import { useState } from 'react';
import { Alert, Button, Form, Input, Radio, Result } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { api, ApiError, errorText, newIdempotencyKey } from '../api/client';
import type { Channel, NewRequest, OrderDetail, RequestType } from '../api/types';
import { useT } from '../i18n';
import { AttachmentInput } from '../orders/AttachmentInput';
import { LocateButton, type Coords } from '../places/Locate';
import { MapPickButton } from '../places/MapPick';
import { PlacePicker, type Place } from '../places/UnitSelect';

type Values = { type: RequestType; title: string; body: string; address?: string; place: Place; photos?: string[]; contactName: string; contactPhone: string };

type Props = {
  channel: Channel;
  types: RequestType[];
  defaultType: RequestType;
  defaultPlace?: Place;
  contactName?: string;
  /** Grid workers report for the street; the citizen's own contact is asked for. */
  askContact: boolean;
  submitLabel: string;
  onFiled: (r: { id: string; no: string; orderId: string | null }) => void;
};

export function ReportForm({ channel, types, defaultType, defaultPlace, contactName, askContact, submitLabel, onFiled }: Props) {
  const { t } = useT();
  const [form] = Form.useForm<Values>();
  const [coords, setCoords] = useState<Coords | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ no: string } | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const req: NewRequest = {
      type: v.type,
      title: v.title.trim(),
      body: v.body.trim(),
      channel,
      contact: { name: (v.contactName ?? contactName ?? '').trim(), phone: (v.contactPhone ?? '').trim() },
      dispatch: 'auto',
      ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      ...(coords ? { lat: coords.lat, lng: coords.lng } : {}),
      ...(v.place?.districtCode ? { districtCode: v.place.districtCode } : {}),
      ...(v.place?.streetCode ? { streetCode: v.place.streetCode } : {}),
      ...(v.place?.communityCode ? { communityCode: v.place.communityCode } : {}),
      ...(v.photos?.length ? { attachmentIds: v.photos } : {}),
    };
    try {
      const res = await api<{ request: { id: string; no: string }; order: OrderDetail | null }>('/requests', { method: 'POST', body: req, headers: { 'Idempotency-Key': key } });
      const no = res.order?.no ?? res.request.no;
      setFiled({ no });
      onFiled({ id: res.request.id, no, orderId: res.order?.id ?? null });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const map: Record<string, string> = { 'contact.name': 'contactName', 'contact.phone': 'contactPhone', attachmentIds: 'photos' };
        form.setFields(err.fields.map((f) => ({ name: (map[f.field] ?? f.field) as keyof Values, errors: [f.reason] })));
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (filed)
    return (
      <Result
        status="success"
        title={t('report.thanks')}
        subTitle={t('report.filedSub', { no: filed.no })}
        extra={
          <Button
            type="primary"
            onClick={() => {
              setFiled(null);
              setCoords(null);
              setKey(newIdempotencyKey());
              form.resetFields();
            }}
          >
            {t('report.another')}
          </Button>
        }
      />
    );

  return (
    <Form<Values>
      form={form}
      layout="vertical"
     
      initialValues={{ type: defaultType, place: defaultPlace ?? {}, contactName: contactName ?? '' }}
      onFinish={(v) => void submit(v)}
      className="report-form"
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form.Item name="type" label={t('intake.type')}>
        <Radio.Group optionType="button" options={types.map((x) => ({ value: x, label: t(`type.${x}`) }))} className="type-radio" />
      </Form.Item>
      <Form.Item name="title" label={t('report.title')} rules={[{ required: true, whitespace: true, message: t('intake.titleRequired') }]}>
        <Input maxLength={100} placeholder={t('report.titlePlaceholder')} />
      </Form.Item>
      <Form.Item name="body" label={t('report.body')} rules={[{ required: true, whitespace: true, message: t('intake.bodyRequired') }, { min: 10, message: t('report.bodyMin') }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('report.bodyPlaceholder')} />
      </Form.Item>
      <Form.Item name="photos" label={t('report.photos')}>
        <AttachmentInput photo max={6} />
      </Form.Item>
      <Form.Item name="address" label={t('intake.address')} rules={[{ required: true, whitespace: true, message: t('report.addressRequired') }]}>
        <Input maxLength={200} placeholder={t('intake.addressPlaceholder')} />
      </Form.Item>
      <Form.Item label={t('report.location')}>
        <div className="address-row">
          <LocateButton value={coords} onChange={setCoords} />
          <MapPickButton value={coords} onChange={setCoords} />
        </div>
      </Form.Item>
      <Form.Item name="place" label={t('intake.place')} extra={t('report.placeHint')}>
        <PlaceFormField />
      </Form.Item>
      {askContact && (
        <div className="form-row">
          <Form.Item name="contactName" label={t('intake.contactName')} rules={[{ required: true, whitespace: true, message: t('intake.contactNameRequired') }]} className="grow">
            <Input maxLength={40} autoComplete="name" />
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
            <Input maxLength={20} inputMode="tel" autoComplete="tel" />
          </Form.Item>
        </div>
      )}
      {askContact && channel !== 'app' && <p className="field-hint privacy">{t('report.privacy')}</p>}
      <Button type="primary" htmlType="submit" size="large" block icon={<SendOutlined />} loading={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}

function PlaceFormField({ value, onChange }: { value?: Place; onChange?: (p: Place) => void }) {
  return <PlacePicker value={value ?? {}} onChange={(p) => onChange?.(p)} compact />;
}
