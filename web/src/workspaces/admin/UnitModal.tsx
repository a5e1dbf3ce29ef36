/** Edit a unit (its point on the map, the name of a non-official unit, active) or add one under the unit in view. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Switch } from 'antd';
import { api, ApiError, errorText } from '../../api/client';
import type { Unit, UnitLevel } from '../../api/types';
import { useT } from '../../i18n';
import { MapPickButton } from '../../places/MapPick';
import type { Coords } from '../../places/Locate';

/** Official divisions keep the state's names and cannot be switched off. */
const official: UnitLevel[] = ['city', 'district', 'street'];
type NewLevel = 'department' | 'company' | 'community' | 'grid';
/** What may be added under a unit of each level (mirrors the server's rule). */
export const childLevels: Partial<Record<UnitLevel, NewLevel[]>> = { city: ['department', 'company'], district: ['department', 'company'], street: ['community'], community: ['grid'] };

type Values = { name: string; shortName?: string; active?: boolean; level?: NewLevel; abbr?: string; code?: string };

export function UnitModal({ unit, parent, onClose, onSaved }: { unit: Unit | null; parent: Unit | null; onClose: () => void; onSaved: (u: Unit) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const creating = unit === null;
  const [point, setPoint] = useState<Coords | null>(unit && unit.lat !== null && unit.lng !== null ? { lat: unit.lat, lng: unit.lng } : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isOfficial = unit !== null && official.includes(unit.level);
  const level = Form.useWatch('level', form);
  const choices = parent ? (childLevels[parent.level] ?? []) : [];

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = creating
        ? await api<Unit>('/units', {
            method: 'POST',
            body: {
              parent: parent?.code,
              level: v.level,
              name: v.name.trim(),
              ...(v.shortName?.trim() ? { shortName: v.shortName.trim() } : {}),
              ...(v.abbr?.trim() ? { abbr: v.abbr.trim().toUpperCase() } : {}),
              ...(v.code?.trim() ? { code: v.code.trim() } : {}),
              ...(point ? { point } : {}),
            },
          })
        : await api<Unit>(`/units/${unit.code}`, {
            method: 'PATCH',
            body: {
              ...(isOfficial ? {} : { name: v.name.trim(), shortName: (v.shortName ?? v.name).trim(), active: v.active ?? true }),
              point,
            },
          });
      message.success(t('admin.unit.saved', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.filter((f) => ['name', 'shortName', 'abbr', 'code', 'level', 'active'].includes(f.field.replace(/^body\./, ''))).map((f) => ({ name: f.field.replace(/^body\./, '') as keyof Values, errors: [f.reason] })));
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={creating ? t('admin.unit.new', { parent: parent?.name ?? '' }) : t('admin.unit.edit', { name: unit.name })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>
          {t('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()}>
          {t('btn.save')}
        </Button>,
      ]}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={unit ? { name: unit.name, shortName: unit.shortName, active: true } : { level: choices[0] }}>
        {creating && (
          <Form.Item name="level" label={t('admin.unit.level')} rules={[{ required: true, message: t('admin.unit.levelRequired') }]}>
            <Select options={choices.map((l) => ({ value: l, label: t(`level.${l}`) }))} />
          </Form.Item>
        )}
        {creating && (level === 'department' || level === 'company') && (
          <Form.Item name="abbr" label={t('admin.unit.abbr')} extra={t('admin.unit.abbrHint', { parent: parent?.code ?? '' })} rules={[{ required: true, pattern: /^[A-Za-z][A-Za-z0-9]{1,11}$/, message: t('admin.unit.abbrRule') }]}>
            <Input maxLength={12} autoComplete="off" />
          </Form.Item>
        )}
        {creating && (level === 'community' || level === 'grid') && (
          <Form.Item name="code" label={t('admin.unit.code')} extra={t('admin.unit.codeHint', { parent: parent?.code ?? '' })} rules={[{ required: true, pattern: /^\d{9,15}$/, message: t('admin.unit.codeRule') }]}>
            <Input maxLength={15} autoComplete="off" inputMode="numeric" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('admin.unit.name')} extra={isOfficial ? t('admin.unit.officialName') : undefined} rules={[{ required: true, whitespace: true, min: 2, message: t('admin.unit.nameRequired') }]}>
          <Input maxLength={60} disabled={isOfficial} />
        </Form.Item>
        <Form.Item name="shortName" label={t('admin.unit.short')}>
          <Input maxLength={30} disabled={isOfficial} />
        </Form.Item>
        <Form.Item label={t('admin.unit.point')} extra={t('admin.unit.pointHint')}>
          <div className="address-row">
            <MapPickButton value={point} onChange={setPoint} />
            <span className="muted small">{point ? `${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}` : t('place.notPicked')}</span>
            {point && (
              <Button type="link" size="small" onClick={() => setPoint(null)}>
                {t('btn.clear')}
              </Button>
            )}
          </div>
        </Form.Item>
        {!creating && !isOfficial && unit.level !== 'centre' && (
          <Form.Item name="active" label={t('admin.unit.active')} valuePropName="checked" extra={t('admin.unit.activeHint')}>
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
