/** 导出: download the list a filter describes as CSV or xlsx (GET /orders/export, same filters and jurisdiction; contact masked). */
import { useState } from 'react';
import { App as AntApp, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { getToken, withQuery } from '../api/client';
import { useT } from '../i18n';
import type { OrderQuery } from './useOrders';

export async function downloadOrders(query: OrderQuery, format: 'csv' | 'xlsx'): Promise<void> {
  const token = getToken();
  const res = await fetch(withQuery('/api/v1/orders/export', { ...query, format }), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `导出失败（${res.status}）`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `工单导出-${new Date().toISOString().slice(0, 10)}.${format}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ query, size }: { query: OrderQuery; size?: 'small' | 'middle' }) {
  const { t } = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const run = (format: 'csv' | 'xlsx') => {
    setBusy(true);
    downloadOrders(query, format).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        void message.error(err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <Dropdown menu={{ items: [{ key: 'xlsx', label: t('export.xlsx') }, { key: 'csv', label: t('export.csv') }], onClick: ({ key }) => run(key as 'csv' | 'xlsx') }}>
      <Button size={size ?? 'middle'} icon={<DownloadOutlined />} loading={busy}>
        {t('export.button')}
      </Button>
    </Dropdown>
  );
}
