/** Deadline policies: from the API when it offers them; otherwise the documented defaults, read-only and marked so. */
import { Alert, Table, Tag, type TableColumnsType } from 'antd';
import { isNotAvailable, useApi } from '../../api/hooks';
import type { DeadlinePolicy, Urgency } from '../../api/types';
import { useT } from '../../i18n';
import { LoadState } from '../../shell/States';

export function Policies() {
  const { t } = useT();
  const policies = useApi<{ items: DeadlinePolicy[] } | DeadlinePolicy[]>('/deadline-policies');
  const missing = isNotAvailable(policies.error);
  // DOMAIN.md, "Deadlines": the draft Beijing 12345 service standard's defaults.
  const defaults: DeadlinePolicy[] = [
    { urgency: 'emergency', reply: t('admin.policy.default.emergency') },
    { urgency: 'utility', reply: t('admin.policy.default.utility') },
    { urgency: 'general', reply: t('admin.policy.default.general') },
    { urgency: 'complex', reply: t('admin.policy.default.complex') },
  ];
  const rows = missing ? defaults : Array.isArray(policies.data) ? policies.data : (policies.data?.items ?? []);
  const columns: TableColumnsType<DeadlinePolicy> = [
    { title: t('intake.urgency'), dataIndex: 'urgency', render: (u: Urgency) => <Tag color={u === 'emergency' ? 'red' : u === 'utility' ? 'orange' : 'default'}>{t(`urgency.${u}`)}</Tag> },
    { title: t('clock.sign'), dataIndex: 'sign', render: (v?: string) => v ?? '—' },
    { title: t('clock.response'), dataIndex: 'response', render: (v?: string) => v ?? '—' },
    { title: t('clock.reply'), dataIndex: 'reply' },
    { title: t('admin.policy.note'), dataIndex: 'note', render: (v?: string) => v ?? '—' },
  ];
  return (
    <section className="panel" aria-labelledby="policies-heading">
      <div className="panel-head">
        <h2 id="policies-heading">{t('admin.policies')}</h2>
      </div>
      {missing && <Alert type="info" showIcon title={t('admin.policy.readOnly')} description={t('admin.policy.readOnlyHint')} style={{ marginBottom: 12 }} />}
      <LoadState loading={policies.loading} error={missing ? null : policies.error} onRetry={policies.reload} hasData={missing || policies.data !== undefined}>
        <Table<DeadlinePolicy> size="small" rowKey="urgency" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 600 }} />
      </LoadState>
    </section>
  );
}
