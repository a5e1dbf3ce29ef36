/** "Pick on the map" (地图选点): an agent or citizen marks where it happened; intelligent dispatch locates the district from it. */
import { lazy, Suspense, useState } from 'react';
import { Button, Modal } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useT } from '../i18n';
import type { Coords } from './Locate';

// ECharts loads only when the dialog opens, so intake pages stay light.
const MapPickCanvas = lazy(() => import('./MapPickCanvas'));

export function MapPickButton({ value, onChange }: { value: Coords | null; onChange: (c: Coords | null) => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Coords | null>(value);
  return (
    <>
      <Button
        icon={<EnvironmentOutlined />}
        onClick={() => {
          setDraft(value);
          setOpen(true);
        }}
      >
        {t('place.pickOnMap')}
      </Button>
      <Modal
        open={open}
        title={t('place.pickTitle')}
        width={720}
        okText={t('place.pickConfirm')}
        okButtonProps={{ disabled: !draft }}
        onOk={() => {
          onChange(draft);
          setOpen(false);
        }}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p className="muted small">{t('place.pickHint')}</p>
        <Suspense fallback={<div className="map-pick-canvas muted">{t('state.loading')}</div>}>
          <MapPickCanvas value={draft} onPick={setDraft} />
        </Suspense>
        <p className="small" aria-live="polite">
          {draft ? `${t('place.picked')}：${draft.lat.toFixed(5)}, ${draft.lng.toFixed(5)}` : t('place.notPicked')}
        </p>
      </Modal>
    </>
  );
}
