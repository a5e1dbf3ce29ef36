/** 历史工单导入与导出: upload CSV/xlsx/JSONL with a progress bar and the rejected-rows report; export a filtered order list. */
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Progress, Select, Space, Table, Tag, Upload, type TableColumnsType } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError, getToken, withQuery } from '../../api/client';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { formatTime, useT } from '../../i18n';
import { ExportButton } from '../../orders/ExportButton';

type Reject = { line: number; field: string; code: string; reason: string };
type Job = { id: string; format: string; fileName: string; state: string; total: number; processed: number; imported: number; skipped: number; rejected: number; rejects: Reject[]; error: string | null; createdAt: string; finishedAt: string | null };

const typeOf: Record<string, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson', ndjson: 'application/x-ndjson', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** The file is the request body (no multipart): the server reads and checks it, then imports in the background. */
async function uploadFile(file: File): Promise<Job> {
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  const token = getToken();
  const res = await fetch(withQuery('/api/v1/bulk/imports', { fileName: file.name }), { method: 'POST', headers: { 'content-type': typeOf[ext] ?? 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: file });
  const data = (await res.json().catch(() => null)) as (Job & { code?: string; message?: string; fields?: { field: string; reason: string }[] }) | null;
  if (!res.ok) throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? `上传失败（${res.status}）`, data?.fields ?? []);
  return data as Job;
}

export function BulkImport() {
  const { t, lang } = useT();
  const { message } = App.useApp();
  const [job, setJob] = useState<Job | null>(null);
  const [uploading, setUploading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const jobs = useApi<{ items: Job[] }>('/bulk/imports');
  const timer = useRef<number | null>(null);

  // Poll the running job for its progress; stop when it is done or failed.
  useEffect(() => {
    if (!job || job.state !== 'running') return;
    timer.current = window.setTimeout(() => {
      api<Job>(`/bulk/imports/${job.id}`).then(
        (j) => {
          setJob(j);
          if (j.state !== 'running') jobs.reload();
        },
        (err: unknown) => setFailure(err instanceof Error ? err.message : String(err)),
      );
    }, 500);
    return () => {
      if (timer.current) window.clearTimeout(timer.current);
    };
  }, [job, jobs]);

  const start = (file: File) => {
    setUploading(true);
    setFailure(null);
    uploadFile(file).then(
      (j) => {
        setUploading(false);
        setJob(j);
        void message.success(t('bulk.started', { name: file.name }));
      },
      (err: unknown) => {
        setUploading(false);
        setFailure(err instanceof ApiError ? err.message : String(err));
      },
    );
    return false;
  };

  const percent = job && job.total > 0 ? Math.round((job.processed / job.total) * 100) : job?.state === 'done' ? 100 : 0;
  const rejectColumns: TableColumnsType<Reject> = [
    { title: t('bulk.line'), dataIndex: 'line', width: 80 },
    { title: t('bulk.field'), dataIndex: 'field', width: 140 },
    { title: t('bulk.code'), dataIndex: 'code', width: 160, render: (v: string) => <Tag>{v}</Tag> },
    { title: t('bulk.reason'), dataIndex: 'reason' },
  ];

  const [exp, setExp] = useState<{ state?: string; from?: Dayjs | null; to?: Dayjs | null }>({});
  const exportQuery = { state: exp.state, from: exp.from?.startOf('day').toISOString(), to: exp.to?.endOf('day').toISOString() };

  return (
    <>
      <section className="panel" aria-labelledby="bulk-heading">
        <div className="panel-head">
          <h2 id="bulk-heading">{t('bulk.title')}</h2>
        </div>
        <p className="muted">{t('bulk.intro')}</p>
        <Upload.Dragger accept=".csv,.xlsx,.jsonl,.ndjson" multiple={false} showUploadList={false} beforeUpload={start} disabled={uploading || job?.state === 'running'}>
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{uploading ? t('bulk.uploading') : t('bulk.drop')}</p>
          <p className="muted small">{t('bulk.formats')}</p>
        </Upload.Dragger>
        {failure && <Alert style={{ marginTop: 12 }} type="error" showIcon message={t('bulk.refused')} description={failure} />}
        {job && (
          <div style={{ marginTop: 16 }}>
            <Progress percent={percent} status={job.state === 'failed' ? 'exception' : job.state === 'done' ? 'success' : job.state === 'interrupted' ? 'normal' : 'active'} aria-label={t('bulk.progress')} />
            <Descriptions size="small" column={{ xs: 1, sm: 3, md: 5 }} style={{ marginTop: 8 }}>
              <Descriptions.Item label={t('bulk.file')}>{job.fileName}</Descriptions.Item>
              <Descriptions.Item label={t('bulk.processed')}>{`${job.processed} / ${job.total}`}</Descriptions.Item>
              <Descriptions.Item label={t('bulk.imported')}>{job.imported}</Descriptions.Item>
              <Descriptions.Item label={t('bulk.skipped')}>{job.skipped}</Descriptions.Item>
              <Descriptions.Item label={t('bulk.rejected')}>{job.rejected}</Descriptions.Item>
            </Descriptions>
            {job.error && <Alert type={job.state === 'interrupted' ? 'warning' : 'error'} showIcon message={job.state === 'interrupted' ? t('bulk.interrupted') : job.error} description={job.state === 'interrupted' ? job.error : undefined} />}
            {job.rejects.length > 0 && (
              <>
                <h3>{t('bulk.rejects', { n: job.rejected })}</h3>
                <Table<Reject> size="small" rowKey={(r) => `${r.line}-${r.field}-${r.code}`} columns={rejectColumns} dataSource={job.rejects} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 700 }} />
              </>
            )}
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="bulk-jobs-heading">
        <div className="panel-head">
          <h2 id="bulk-jobs-heading">{t('bulk.history')}</h2>
        </div>
        <Table<Job>
          size="small"
          rowKey="id"
          loading={jobs.loading}
          dataSource={jobs.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('bulk.noJobs') }}
          columns={[
            { title: t('bulk.when'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v, lang, true) },
            { title: t('bulk.file'), dataIndex: 'fileName' },
            { title: t('bulk.state'), dataIndex: 'state', width: 90, render: (v: string) => <Tag color={v === 'done' ? 'green' : v === 'failed' ? 'red' : v === 'interrupted' ? 'orange' : 'blue'}>{t(v === 'done' ? 'bulk.done' : v === 'failed' ? 'bulk.failed' : v === 'interrupted' ? 'bulk.interrupted' : 'bulk.running')}</Tag> },
            { title: t('bulk.imported'), dataIndex: 'imported', width: 80 },
            { title: t('bulk.skipped'), dataIndex: 'skipped', width: 80 },
            { title: t('bulk.rejected'), dataIndex: 'rejected', width: 80 },
            { title: '', key: 'open', width: 80, render: (_: unknown, j) => <Button size="small" type="link" onClick={() => void api<Job>(`/bulk/imports/${j.id}`).then(setJob)}>{t('bulk.report')}</Button> },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="export-heading">
        <div className="panel-head">
          <h2 id="export-heading">{t('export.title')}</h2>
        </div>
        <p className="muted">{t('export.intro')}</p>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('export.state')}
            style={{ width: 180 }}
            value={exp.state}
            onChange={(v: string | undefined) => setExp((x) => ({ ...x, state: v }))}
            options={[
              { value: 'closed', label: t('export.closed') },
              { value: 'dispatched,signed,responded,in_progress', label: t('export.handling') },
              { value: 'replied,followed_up', label: t('export.replied') },
            ]}
          />
          <DatePicker placeholder={t('export.from')} value={exp.from ?? null} onChange={(d) => setExp((x) => ({ ...x, from: d }))} />
          <DatePicker placeholder={t('export.to')} value={exp.to ?? null} onChange={(d) => setExp((x) => ({ ...x, to: d }))} />
          <ExportButton query={exportQuery} />
        </Space>
      </section>
    </>
  );
}
