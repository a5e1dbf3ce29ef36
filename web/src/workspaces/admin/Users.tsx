/** Users and their roles (read-only until the API offers editing). */
import { Table, Tag, type TableColumnsType } from 'antd';
import { useApi } from '../../api/hooks';
import type { UserRow } from '../../api/types';
import { useT } from '../../i18n';
import { LoadState } from '../../shell/States';

export function Users() {
  const { t } = useT();
  const users = useApi<{ items: UserRow[] } | UserRow[]>('/users?limit=200');
  const rows = Array.isArray(users.data) ? users.data : (users.data?.items ?? []);
  const columns: TableColumnsType<UserRow> = [
    { title: t('admin.user.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
    { title: t('admin.user.name'), dataIndex: 'displayName' },
    { title: t('admin.user.role'), dataIndex: 'role', render: (r: UserRow['role']) => <Tag color="blue">{t(`role.${r}`)}</Tag> },
    { title: t('admin.user.unit'), key: 'unit', render: (_: unknown, u) => u.unitName ?? u.unitId ?? '—' },
    { title: t('admin.user.status'), dataIndex: 'active', render: (a: boolean | undefined) => (a === false ? <Tag>{t('admin.user.disabled')}</Tag> : <Tag color="green">{t('admin.user.active')}</Tag>) },
  ];
  return (
    <section className="panel" aria-labelledby="users-heading">
      <div className="panel-head">
        <h2 id="users-heading">{t('admin.users')}</h2>
      </div>
      <LoadState loading={users.loading} error={users.error} onRetry={users.reload} hasData={users.data !== undefined} empty={users.data !== undefined && rows.length === 0} emptyText={t('admin.user.empty')}>
        <Table<UserRow> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 640 }} />
      </LoadState>
    </section>
  );
}
