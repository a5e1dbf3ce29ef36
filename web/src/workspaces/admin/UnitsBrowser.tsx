/** The organization tree: city → districts → streets → communities, departments and companies; search by name or code. */
import { useMemo, useState } from 'react';
import { Breadcrumb, Button, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { UnitModal, childLevels } from './UnitModal';
import { useApi, useDebounced } from '../../api/hooks';
import type { Page, Unit, UnitLevel } from '../../api/types';
import { useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';

const levels: UnitLevel[] = ['district', 'street', 'community', 'department', 'company', 'centre'];
const PAGE = 50;

export function UnitsBrowser() {
  const { t } = useT();
  const [trail, setTrail] = useState<Unit[]>([]);
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<UnitLevel | undefined>();
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const query = useDebounced(q.trim(), 300);
  const parent = trail[trail.length - 1];
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (query) params.set('q', query);
  if (level) params.set('level', level);
  if (query || level) {
    if (parent) params.set('under', parent.code);
  } else params.set('parent', parent?.code ?? '110000');
  const units = useApi<Page<Unit>>(`/units?${params.toString()}`);
  const root = useApi<Unit>('/units/110000');

  const columns: TableColumnsType<Unit> = useMemo(
    () => [
      {
        title: t('admin.unit.name'),
        dataIndex: 'name',
        render: (v: string, u) => (
          <Button
            type="link"
            className="link-cell"
            onClick={() => {
              setTrail((tr) => [...tr, u]);
              setQ('');
              setLevel(undefined);
              setOffset(0);
            }}
            title={t('admin.unit.open')}
          >
            {v}
          </Button>
        ),
      },
      { title: t('admin.unit.short'), dataIndex: 'shortName', width: 140 },
      { title: t('admin.unit.level'), dataIndex: 'level', width: 100, render: (l: UnitLevel) => <Tag>{t(`level.${l}`)}</Tag> },
      { title: t('admin.unit.code'), dataIndex: 'code', width: 150, render: (c: string) => <code>{c}</code> },
      { title: t('admin.unit.kind'), dataIndex: 'kind', width: 100, render: (k: string | null) => k ?? '—' },
      { title: t('admin.unit.point'), key: 'pt', width: 150, render: (_: unknown, u) => (u.lat !== null && u.lng !== null ? `${u.lat.toFixed(3)}, ${u.lng.toFixed(3)}` : '—') },
      {
        title: t('admin.unit.actions'),
        key: 'edit',
        width: 90,
        render: (_: unknown, u) => (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} aria-label={t('admin.unit.edit', { name: u.name })}>
            {t('btn.edit')}
          </Button>
        ),
      },
    ],
    [t],
  );

  return (
    <section className="panel" aria-labelledby="units-heading">
      <div className="panel-head">
        <h2 id="units-heading">{t('admin.units')}</h2>
        {units.data && <span className="muted small">{t('admin.total', { n: units.data.total })}</span>}
        {childLevels[(parent ?? root.data)?.level ?? 'city'] && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginLeft: 'auto' }}>
            {t('admin.unit.add')}
          </Button>
        )}
      </div>
      <Breadcrumb
        className="unit-trail"
        items={[
          { key: 'root', title: <a onClick={() => (setTrail([]), setOffset(0))}>{root.data?.name ?? t('admin.unit.city')}</a> },
          ...trail.map((u, i) => ({
            key: u.code,
            title: i === trail.length - 1 ? u.name : <a onClick={() => (setTrail(trail.slice(0, i + 1)), setOffset(0))}>{u.name}</a>,
          })),
        ]}
      />
      <div className="toolbar">
        <Input
          prefix={<SearchOutlined />}
          placeholder={t('admin.unit.search')}
          aria-label={t('admin.unit.search')}
          value={q}
          onChange={(e) => (setQ(e.target.value), setOffset(0))}
          allowClear
          className="toolbar-search"
        />
        <Select
          allowClear
          placeholder={t('admin.unit.anyLevel')}
          aria-label={t('admin.unit.level')}
          value={level}
          onChange={(v?: UnitLevel) => (setLevel(v), setOffset(0))}
          options={levels.map((l) => ({ value: l, label: t(`level.${l}`) }))}
          style={{ width: 150 }}
        />
      </div>
      {units.error ? (
        <ErrorNotice error={units.error} onRetry={units.reload} />
      ) : (
        <Table<Unit>
          size="small"
          rowKey="code"
          columns={columns}
          dataSource={units.data?.items ?? []}
          loading={units.loading}
          scroll={{ x: 760 }}
          locale={{ emptyText: query ? t('admin.unit.noMatch') : t('admin.unit.noChildren') }}
          pagination={{
            current: offset / PAGE + 1,
            pageSize: PAGE,
            total: units.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => setOffset((p - 1) * PAGE),
          }}
        />
      )}
      {editing && <UnitModal unit={editing === 'new' ? null : editing} parent={editing === 'new' ? (parent ?? root.data ?? null) : null} onClose={() => setEditing(null)} onSaved={() => units.reload()} />}
    </section>
  );
}
