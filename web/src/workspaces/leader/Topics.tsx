/**
 * 每月一题: the candidates mined from the request data (score, trend sparkline, growth, spread, unresolved share, the
 * evidence orders), the adopt dialog (lead units, tasks with responsible units and due dates), and the adopted topics
 * with task progress and the class's orders and resolution rate since adoption.
 */
import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Empty, Form, Input, InputNumber, List, Modal, Progress, Segmented, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/hooks';
import { formatPercent, formatTime, useT, type Lang } from '../../i18n';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { UnitSelect } from '../../places/UnitSelect';
import { ErrorNotice } from '../../shell/States';
import { ReactEChartsCore, echarts } from './charts';
import { LeaderNav } from './LeaderNav';
import { eventText, growthText, monthText, topicsText } from './TopicsText';

type Named = { code: string; name: string };
export type Candidate = {
  key: string;
  category: Named;
  district: Named | null;
  size: number;
  last: number;
  mom: number;
  yoy: number | null;
  streets: number;
  districts: number;
  unresolvedShare: number | null;
  recurrence: number;
  series: number[];
  months: string[];
  score: number;
  parts: Record<'size' | 'growth' | 'spread' | 'unresolved' | 'recurrence', number>;
  evidence: { id: string; no: string; title: string; acceptedAt: string; state: string; unresolved: boolean; street: Named | null }[];
  adopted: { id: string; no: string; month: string } | null;
};
type Candidates = { window: { from: string; to: string }; months: string[]; scope: 'city' | 'district'; candidates: Candidate[] };
type Task = { id: string; title: string; unit: Named; dueDate: string; state: 'open' | 'in_progress' | 'done'; overdue: boolean; note: string | null; version: number };
type TrendPoint = { month: string; orders: number; resolutionRate: number | null; satisfactionRate: number | null };
type Topic = {
  id: string;
  no: string;
  month: string;
  title: string;
  description: string;
  state: 'active' | 'closed';
  category: Named;
  district: Named | null;
  leadUnits: Named[];
  progress: { total: number; done: number; inProgress: number; open: number; overdue: number };
  baseline: { size?: number; score?: number } | null;
  trend: TrendPoint[];
  oversee: boolean;
  version: number;
};
type TopicDetail = Topic & { tasks: Task[]; history: { id: number; at: string; type: string; actor: string | null; data: Record<string, unknown> }[] };

/** A small line of the monthly counts. */
export function Sparkline({ values, months, color = '#1677ff' }: { values: number[]; months: string[]; color?: string }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ width: 140, height: 36 }}
      option={{
        grid: { left: 2, right: 2, top: 4, bottom: 2 },
        xAxis: { type: 'category', show: false, data: months },
        yAxis: { type: 'value', show: false, min: 0 },
        tooltip: { trigger: 'axis', confine: true },
        series: [{ type: 'line', data: values, smooth: true, symbol: 'none', lineStyle: { width: 2, color }, areaStyle: { color, opacity: 0.12 } }],
      }}
    />
  );
}

function TopicTrend({ trend, lang }: { trend: TrendPoint[]; lang: Lang }) {
  const tx = topicsText(lang);
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 200 }}
      option={{
        grid: { left: 40, right: 40, top: 30, bottom: 24 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: trend.map((p) => monthText(p.month, lang)) },
        yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
        series: [
          { name: tx('topics.orders'), type: 'bar', data: trend.map((p) => p.orders), itemStyle: { color: '#91caff' } },
          { name: tx('topics.resolution'), type: 'line', yAxisIndex: 1, data: trend.map((p) => (p.resolutionRate === null ? null : Math.round(p.resolutionRate * 100))) },
          { name: tx('topics.satisfaction'), type: 'line', yAxisIndex: 1, data: trend.map((p) => (p.satisfactionRate === null ? null : Math.round(p.satisfactionRate * 100))) },
        ],
      }}
    />
  );
}

/** Beijing's current month, `YYYY-MM`. */
const currentMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

type AdoptForm = { title: string; description?: string; leadUnitCodes: string[]; tasks?: { title: string; unitCode: string; due: { format(f: string): string } | null }[] };

function AdoptDialog({ candidate, onClose, onDone }: { candidate: Candidate | null; onClose: () => void; onDone: () => void }) {
  const { lang } = useT();
  const tx = topicsText(lang);
  const { message } = App.useApp();
  const [form] = Form.useForm<AdoptForm>();
  const [saving, setSaving] = useState(false);
  const name = candidate ? `${candidate.district?.name ?? ''}${candidate.category.name}` : '';
  const submit = async (v: AdoptForm) => {
    if (!candidate) return;
    setSaving(true);
    try {
      const r = await api<{ id: string; no: string }>('/topics', {
        body: {
          categoryCode: candidate.category.code,
          ...(candidate.district ? { districtCode: candidate.district.code } : {}),
          month: currentMonth(),
          title: v.title,
          ...(v.description ? { description: v.description } : {}),
          leadUnitCodes: v.leadUnitCodes,
          tasks: (v.tasks ?? []).map((t) => ({ title: t.title, unitCode: t.unitCode, dueDate: t.due?.format('YYYY-MM-DD') ?? '' })),
        },
      });
      void message.success(tx('topics.adoptedOk', { no: r.no }));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(
          err.fields.map((f) => {
            const m = /^tasks\[(\d+)\]\.(\w+)$/.exec(f.field);
            const path: (string | number)[] = m ? ['tasks', Number(m[1]), m[2] === 'dueDate' ? 'due' : (m[2] ?? '')] : [f.field.replace(/\[\d+\]$/, '')];
            return { name: path, errors: [f.reason] };
          }) as Parameters<typeof form.setFields>[0],
        );
      }
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={candidate !== null} title={tx('topics.adoptTitle', { name })} onCancel={onClose} onOk={() => form.submit()} okText={tx('topics.adopt')} cancelText={tx('common.cancel')} confirmLoading={saving} width={760} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ title: `${name}问题治理`, tasks: [{ title: '', unitCode: undefined, due: null }] }} preserve={false}>
        <Form.Item name="title" label={tx('topics.form.title')} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={tx('topics.form.description')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Form.Item name="leadUnitCodes" label={tx('topics.form.leads')} rules={[{ required: true }]}>
          <UnitSelect multiple placeholder={tx('topics.form.unitSearch')} aria-label={tx('topics.form.leads')} />
        </Form.Item>
        <Typography.Text strong>{tx('topics.form.tasks')}</Typography.Text>
        <Form.List name="tasks">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex', marginTop: 8 }} wrap>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true }]} style={{ width: 260, marginBottom: 4 }}>
                    <Input placeholder={tx('topics.form.task')} aria-label={tx('topics.form.task')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unitCode']} rules={[{ required: true }]} style={{ width: 240, marginBottom: 4 }}>
                    <UnitSelect placeholder={tx('topics.form.unit')} aria-label={tx('topics.form.unit')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'due']} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
                    <DatePicker placeholder={tx('topics.form.due')} aria-label={tx('topics.form.due')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 9 }} aria-label="remove" />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', unitCode: undefined, due: null })} style={{ marginTop: 8 }}>
                {tx('topics.form.addTask')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function TopicDrawer({ topicId, onClose, onChanged }: { topicId: string | null; onClose: () => void; onChanged: () => void }) {
  const { lang } = useT();
  const tx = topicsText(lang);
  const { message, modal } = App.useApp();
  const d = useApi<TopicDetail>(topicId ? `/topics/${topicId}` : null);
  const t = d.data;
  const ask = (title: string, onOk: (text: string) => Promise<unknown>) => {
    let text = '';
    modal.confirm({
      title,
      content: <Input.TextArea rows={3} onChange={(e) => (text = e.target.value)} />,
      okText: tx('common.ok'),
      cancelText: tx('common.cancel'),
      onOk: async () => {
        try {
          await onOk(text);
          d.reload();
          onChanged();
        } catch (err) {
          void message.error(err instanceof Error ? err.message : String(err));
          throw err;
        }
      },
    });
  };
  return (
    <Drawer open={topicId !== null} onClose={onClose} width={760} title={t ? `${t.no} ${t.title}` : ''} destroyOnHidden>
      {d.error ? <ErrorNotice error={d.error} onRetry={d.reload} /> : null}
      {t && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t.category.name} · {t.district?.name ?? tx('topics.scope.city')} · {monthText(t.month, lang)} · {t.leadUnits.map((u) => u.name).join('、')}
            {t.baseline?.size !== undefined ? ` · ${tx('topics.baseline', { size: t.baseline.size, score: t.baseline.score ?? '—' })}` : ''}
          </Typography.Paragraph>
          {t.description ? <Typography.Paragraph>{t.description}</Typography.Paragraph> : null}
          <Card size="small" title={tx('topics.since')}>
            <TopicTrend trend={t.trend} lang={lang} />
          </Card>
          <Card size="small" title={tx('topics.tasks')} extra={t.oversee && t.state === 'active' ? <Button size="small" onClick={() => ask(tx('topics.closeOutcome'), (text) => api(`/topics/${t.id}/close`, { body: { outcome: text, version: t.version } }))}>{tx('topics.close')}</Button> : null}>
            <List
              dataSource={t.tasks}
              renderItem={(k) => (
                <List.Item
                  actions={t.oversee && k.state === 'done' && t.state === 'active' ? [<Button key="r" size="small" onClick={() => ask(tx('topics.reopenReason'), (text) => api(`/topics/tasks/${k.id}/transitions`, { body: { action: 'reopen', version: k.version, note: text } }))}>{tx('topics.reopen')}</Button>] : []}
                >
                  <List.Item.Meta
                    title={<Space>{k.title}<TaskStateTag task={k} lang={lang} /></Space>}
                    description={`${k.unit.name} · ${tx('task.due', { d: k.dueDate })}${k.note ? ` · ${k.note}` : ''}`}
                  />
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={tx('topics.history')}>
            <List size="small" dataSource={[...t.history].reverse()} renderItem={(h) => <List.Item>{formatTime(h.at, lang)} · {h.actor ?? ''} · {eventText(lang, h.type)}{typeof h.data.title === 'string' ? `：${h.data.title}` : ''}{typeof h.data.note === 'string' && h.data.note ? `：${h.data.note}` : ''}</List.Item>} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export function TaskStateTag({ task, lang }: { task: Pick<Task, 'state' | 'overdue'>; lang: Lang }) {
  const tx = topicsText(lang);
  return (
    <>
      <Tag color={task.state === 'done' ? 'green' : task.state === 'in_progress' ? 'blue' : 'default'}>{tx(`task.state.${task.state}`)}</Tag>
      {task.overdue ? <Tag color="red">{tx('task.overdue')}</Tag> : null}
    </>
  );
}

export default function Topics() {
  const { lang } = useT();
  const tx = topicsText(lang);
  const [scope, setScope] = useState<'city' | 'district'>('city');
  const [months, setMonths] = useState(6);
  const [adopting, setAdopting] = useState<Candidate | null>(null);
  const [evidenceOf, setEvidenceOf] = useState<Candidate | null>(null);
  const [order, setOrder] = useState<string | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  const cands = useApi<Candidates>(`/topics/candidates?months=${months}&limit=15&scope=${scope}`);
  const topics = useApi<{ items: Topic[] }>('/topics');
  const columns: TableColumnsType<Candidate> = [
    { title: tx('topics.col.class'), key: 'class', render: (_, c) => <Space direction="vertical" size={0}><b>{c.category.name}</b><span className="muted">{c.district?.name ?? tx('topics.scope.city')} · {c.category.code}</span></Space> },
    { title: tx('topics.col.trend'), key: 'trend', render: (_, c) => <Sparkline values={c.series} months={c.months.map((m) => monthText(m, lang))} /> },
    { title: tx('topics.col.size'), dataIndex: 'size', align: 'right', sorter: (a, b) => a.size - b.size },
    { title: tx('topics.col.mom'), key: 'mom', align: 'right', render: (_, c) => <span className={c.mom > 0.2 ? 'bad' : ''}>{growthText(c.mom)}</span> },
    { title: tx('topics.col.yoy'), key: 'yoy', align: 'right', render: (_, c) => growthText(c.yoy) },
    { title: tx('topics.col.spread'), dataIndex: 'streets', align: 'right', sorter: (a, b) => a.streets - b.streets },
    { title: tx('topics.col.unresolved'), key: 'unres', align: 'right', render: (_, c) => formatPercent(c.unresolvedShare), sorter: (a, b) => (a.unresolvedShare ?? 0) - (b.unresolvedShare ?? 0) },
    { title: tx('topics.col.recurrence'), key: 'rec', align: 'right', render: (_, c) => `${c.recurrence}/${c.series.length}` },
    {
      title: tx('topics.col.score'),
      dataIndex: 'score',
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.score - b.score,
      render: (s: number, c) => (
        <Tooltip title={Object.entries(c.parts).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' · ')}>
          <b>{s.toFixed(1)}</b>
        </Tooltip>
      ),
    },
    {
      key: 'act',
      render: (_, c) => (
        <Space>
          <Button size="small" onClick={() => setEvidenceOf(c)}>{tx('topics.evidence')}</Button>
          {c.adopted ? <Tag color="green" onClick={() => setTopic(c.adopted?.id ?? null)} style={{ cursor: 'pointer' }}>{tx('topics.adopted', { no: c.adopted.no })}</Tag> : <Button size="small" type="primary" onClick={() => setAdopting(c)}>{tx('topics.adopt')}</Button>}
        </Space>
      ),
    },
  ];
  return (
    <div className="page" style={{ padding: 16 }}>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }} wrap>
        <LeaderNav />
        <Space>
          <Segmented value={scope} onChange={(v) => setScope(v as 'city' | 'district')} options={[{ value: 'city', label: tx('topics.scope.city') }, { value: 'district', label: tx('topics.scope.district') }]} />
          <span>{tx('topics.months')}</span>
          <InputNumber min={3} max={24} value={months} onChange={(v) => setMonths(v ?? 6)} style={{ width: 70 }} />
        </Space>
      </Space>
      <Card title={tx('topics.list')} size="small" style={{ marginBottom: 16 }}>
        {topics.error ? <ErrorNotice error={topics.error} onRetry={topics.reload} compact /> : null}
        {topics.data && topics.data.items.length === 0 ? <Empty description={tx('topics.none')} /> : null}
        <Space wrap align="start">
          {topics.data?.items.map((t) => (
            <Card key={t.id} size="small" hoverable style={{ width: 320 }} onClick={() => setTopic(t.id)}>
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space><Tag color={t.state === 'active' ? 'blue' : 'default'}>{t.no}</Tag><b>{t.title}</b></Space>
                <span className="muted">{monthText(t.month, lang)} · {t.leadUnits.map((u) => u.name).join('、')}</span>
                <Progress percent={t.progress.total ? Math.round((t.progress.done / t.progress.total) * 100) : 0} format={() => `${t.progress.done}/${t.progress.total}`} size="small" />
                {t.progress.overdue ? <Tag color="red">{tx('topics.overdue', { n: t.progress.overdue })}</Tag> : null}
                <Sparkline values={t.trend.map((p) => p.orders)} months={t.trend.map((p) => monthText(p.month, lang))} color="#fa8c16" />
              </Space>
            </Card>
          ))}
        </Space>
      </Card>
      <Card title={tx('topics.candidates')} size="small" extra={cands.data ? <span className="muted">{tx('topics.candidatesHint', { n: months, from: monthText(cands.data.window.from, lang), to: monthText(cands.data.window.to, lang) })}</span> : null}>
        {cands.error ? <ErrorNotice error={cands.error} onRetry={cands.reload} /> : null}
        <Table<Candidate> rowKey="key" size="small" loading={cands.loading} dataSource={cands.data?.candidates ?? []} columns={columns} pagination={false} scroll={{ x: 1000 }} />
      </Card>
      <AdoptDialog candidate={adopting} onClose={() => setAdopting(null)} onDone={() => { setAdopting(null); cands.reload(); topics.reload(); }} />
      <Drawer open={evidenceOf !== null} onClose={() => setEvidenceOf(null)} width={640} title={evidenceOf ? `${tx('topics.evidence')} · ${evidenceOf.district?.name ?? ''}${evidenceOf.category.name}` : ''}>
        <List
          dataSource={evidenceOf?.evidence ?? []}
          renderItem={(o) => (
            <List.Item onClick={() => setOrder(o.id)} style={{ cursor: 'pointer' }}>
              <List.Item.Meta title={<Space>{o.no}{o.unresolved ? <Tag color="red">未解决/重办</Tag> : null}</Space>} description={`${o.title} · ${o.street?.name ?? ''} · ${formatTime(o.acceptedAt, lang, true)}`} />
            </List.Item>
          )}
        />
      </Drawer>
      <TopicDrawer topicId={topic} onClose={() => setTopic(null)} onChanged={() => topics.reload()} />
      <OrderDrawer orderId={order} onClose={() => setOrder(null)} />
    </div>
  );
}
