/** "Use my location": the phone's GPS position for a report, with a clear message when it is refused. */
import { useState } from 'react';
import { App, Button } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useT } from '../i18n';

export type Coords = { lat: number; lng: number };

export function LocateButton({ value, onChange }: { value: Coords | null; onChange: (c: Coords | null) => void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const locate = () => {
    if (!('geolocation' in navigator)) {
      message.warning(t('place.noGeo'));
      return;
    }
    setBusy(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setBusy(false);
        onChange({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 });
      },
      () => {
        setBusy(false);
        message.warning(t('place.geoDenied'));
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  };
  return (
    <div className="locate">
      <Button icon={<AimOutlined />} loading={busy} onClick={locate}>
        {value ? t('place.relocate') : t('place.useMyLocation')}
      </Button>
      {value && (
        <span className="muted small">
          {value.lat.toFixed(5)}, {value.lng.toFixed(5)}{' '}
          <Button type="link" size="small" onClick={() => onChange(null)}>
            {t('btn.clear')}
          </Button>
        </span>
      )}
    </div>
  );
}
