/** The audit trail: who did what to which record, from where; filter by action, actor, target. */
import { useState } from 'react';
import { Button, Input, Space, Table, Tag, type TableColumnsType } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useApi, useDebounced } from '../../api/hooks';
import type { AuditEntry } from '../../api/types';
import { formatTime, useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';

const PAGE = 50;

export function AuditLog() {
  const { t, lang } = useT();
  const [filter, setFilter] = useState({ action: '', actor: '', targetId: '' });
  const [offset, setOffset] = useState(0);
  const f = useDebounced(filter, 350);
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const [k, v] of Object.entries(f)) if (v.trim()) params.set(k, v.trim());
  const audit = useApi<{ items: AuditEntry[]; total?: number }>(`/audit?${params.toString()}`);
  const items = audit.data?.items ?? [];
  const set = (k: keyof typeof filter) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setFilter((x) => ({ ...x, [k]: e.target.value }));
    setOffset(0);
  };
  const columns: TableColumnsType<AuditEntry> = [
    { title: t('admin.audit.at'), dataIndex: 'at', width: 160, render: (v: string) => formatTime(v, lang, true) },
    { title: t('admin.audit.actor'), dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t('admin.audit.action'), dataIndex: 'action', width: 180, render: (v: string) => <Tag color={v.includes('reveal') ? 'orange' : v.includes('fail') ? 'red' : 'blue'}>{v}</Tag> },
    { title: t('admin.audit.target'), key: 'target', width: 200, render: (_: unknown, a) => (a.targetType ? `${a.targetType} ${a.targetId ?? ''}` : '—') },
    { title: t('admin.audit.detail'), dataIndex: 'detail', render: (d: unknown) => <code className="audit-detail">{d && typeof d === 'object' && Object.keys(d).length ? JSON.stringify(d) : '—'}</code> },
    { title: 'IP', dataIndex: 'ip', width: 120, render: (v: string | null) => v ?? '—' },
  ];
  return (
    <section className="panel" aria-labelledby="audit-heading">
      <div className="panel-head">
        <h2 id="audit-heading">{t('admin.audit')}</h2>
      </div>
      <div className="toolbar">
        <Input placeholder={t('admin.audit.action')} aria-label={t('admin.audit.filterAction')} value={filter.action} onChange={set('action')} allowClear style={{ width: 180 }} />
        <Input placeholder={t('admin.audit.actorId')} aria-label={t('admin.audit.filterActor')} value={filter.actor} onChange={set('actor')} allowClear style={{ width: 180 }} />
        <Input placeholder={t('admin.audit.targetId')} aria-label={t('admin.audit.filterTarget')} value={filter.targetId} onChange={set('targetId')} allowClear style={{ width: 200 }} />
      </div>
      {audit.error ? (
        <ErrorNotice error={audit.error} onRetry={audit.reload} />
      ) : (
        <>
          <Table<AuditEntry> size="small" rowKey="id" columns={columns} dataSource={items} loading={audit.loading} pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('admin.audit.empty') }} />
          <Space className="pager">
            <Button icon={<LeftOutlined />} disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('btn.prev')}
            </Button>
            <span className="muted">{t('admin.audit.page', { from: items.length ? offset + 1 : 0, to: offset + items.length })}</span>
            <Button disabled={items.length < PAGE} onClick={() => setOffset(offset + PAGE)}>
              {t('btn.next')} <RightOutlined />
            </Button>
          </Space>
        </>
      )}
    </section>
  );
}
