/**
 * 考核排名: the month's three-rate ranking of Beijing's 343 streets/townships (or districts, city departments,
 * companies): sortable, with the change from last month, a drill-down from any figure to its orders, and export.
 */
import { useMemo, useState } from 'react';
import { App, Button, Drawer, Input, Segmented, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DownloadOutlined, MinusOutlined } from '@ant-design/icons';
import { api, ApiError, errorText, getToken } from '../../api/client';
import { useApi, useIsPhone } from '../../api/hooks';
import { formatPercent, formatTime, useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { assessmentText, type AssessmentKey } from './assessmentText';
import { LeaderNav } from './LeaderNav';
import './rankings.css';

type Kind = 'street' | 'district' | 'department' | 'company';
const kinds: Kind[] = ['street', 'district', 'department', 'company'];

export type Counts = {
  assessed: number;
  responseMet: number;
  responseLate: number;
  responsePending: number;
  excluded: number;
  followedUp: number;
  resolved: number;
  partly: number;
  unresolved: number;
  satisfied: number;
  basic: number;
  unsatisfied: number;
  noAnswer: number;
};

type Row = {
  rank: number | null;
  code: string;
  name: string;
  district: { code: string; name: string } | null;
  counts: Counts;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  score: number | null;
  partial: boolean;
  attention: boolean;
  previousRank: number | null;
  previousScore: number | null;
  rankChange: number | null;
  scoreChange: number | null;
};

type Ranking = {
  kind: Kind;
  month: string;
  previousMonth: string;
  source: 'snapshot' | 'provisional' | 'live';
  countedAt: string | null;
  policy: { weights: { response: number; resolution: number; satisfaction: number }; partlyResolvedCredit: number; basicSatisfiedCredit: number };
  units: number;
  ranked: number;
  rows: Row[];
};

type Measure = 'assessed' | 'response_met' | 'response_late' | 'response_pending' | 'excluded' | 'followed_up' | 'resolved' | 'partly' | 'unresolved' | 'answered' | 'satisfied' | 'basic' | 'unsatisfied' | 'no_answer';

/** Beijing's current month, `YYYY-MM`. */
function currentMonth(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
}

function monthsBack(from: string, n: number): string[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const idx = y * 12 + (m - 1) - i;
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
  });
}

const monthLabel = (m: string, lang: string) => (lang === 'zh' ? `${m.slice(0, 4)}年${Number(m.slice(5))}月` : m);

/** Fetch a file with the bearer token and hand it to the browser under the server's (Chinese) name. */
async function download(path: string, fallback: string): Promise<void> {
  const token = getToken();
  const res = await fetch(`/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? `导出失败（${res.status}）`);
  }
  const blob = await res.blob();
  const star = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = star?.[1] ? decodeURIComponent(star[1]) : fallback;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 2000);
}

function Change({ row, tx }: { row: Row; tx: ReturnType<typeof assessmentText> }) {
  if (row.rank === null) return <span className="muted">—</span>;
  const d = row.rankChange;
  const score = row.scoreChange === null ? '' : tx('rank.scoreChange', { d: `${row.scoreChange > 0 ? '+' : ''}${row.scoreChange.toFixed(2)}` });
  if (d === null)
    return (
      <Tooltip title={tx('rank.changeNew')}>
        <Tag className="rank-new">NEW</Tag>
      </Tooltip>
    );
  const label = d > 0 ? tx('rank.changeUp', { n: d }) : d < 0 ? tx('rank.changeDown', { n: -d }) : tx('rank.changeSame');
  return (
    <Tooltip title={[label, score].filter(Boolean).join('，')}>
      <span className={`rank-change ${d > 0 ? 'up' : d < 0 ? 'down' : 'same'}`} aria-label={label}>
        {d > 0 ? <ArrowUpOutlined /> : d < 0 ? <ArrowDownOutlined /> : <MinusOutlined />}
        {d !== 0 && <span>{Math.abs(d)}</span>}
      </span>
    </Tooltip>
  );
}

type DrillTarget = { code: string; name: string; counts: Counts; measure: Measure };

type DrillPage = {
  total: number | null;
  measureLabel: string;
  items: { id: string; no: string; title: string; state: string; leadUnit: { name: string } | null; acceptedAt: string; followedUpAt: string | null; exclusionReason: string | null }[];
  nextCursor: string | null;
};

/** The orders behind a unit's figure: pick a count, list its orders, open one. */
function DrillDrawer({ target, month, onClose }: { target: DrillTarget | null; month: string; onClose: () => void }) {
  const { lang } = useT();
  const tx = assessmentText(lang);
  const phone = useIsPhone();
  const [measure, setMeasure] = useState<Measure>(target?.measure ?? 'assessed');
  const [opened, setOpened] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const path = target ? `/assessment/orders?unit=${encodeURIComponent(target.code)}&month=${month}&measure=${measure}&limit=30` : null;
  // Pages after the first belong to the list they were loaded for; another measure starts afresh.
  const [extra, setExtra] = useState<{ path: string | null; pages: DrillPage[] }>({ path: null, pages: [] });
  const pages = extra.path === path ? extra.pages : [];
  const first = useApi<DrillPage>(path);
  const all = [...(first.data ? [first.data] : []), ...pages];
  const items = all.flatMap((p) => p.items);
  const next = all[all.length - 1]?.nextCursor ?? null;
  const c = target?.counts;
  const chip = (m: Measure, label: string, n: number | undefined, tone?: 'bad' | 'good') => (
    <Tag.CheckableTag key={m} checked={measure === m} onChange={() => setMeasure(m)} className={`drill-chip ${tone ?? ''}`}>
      {label} <b>{n ?? 0}</b>
    </Tag.CheckableTag>
  );
  const loadMore = async () => {
    if (!path || !next) return;
    setMore(true);
    setMoreError(null);
    try {
      const p = await api<DrillPage>(`${path}&cursor=${encodeURIComponent(next)}`);
      setExtra({ path, pages: [...pages, p] });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMore(false);
    }
  };
  return (
    <Drawer open={target !== null} onClose={onClose} width={phone ? '100%' : 720} title={target ? tx('drill.title', { unit: target.name, month: monthLabel(month, lang) }) : ''} destroyOnHidden>
      {c && (
        <div className="drill-chips">
          <div>
            <span className="drill-group">{tx('drill.scope')}</span>
            {chip('assessed', lang === 'zh' ? '参评' : 'Assessed', c.assessed)}
            {chip('excluded', lang === 'zh' ? '不计考核' : 'Excluded', c.excluded)}
          </div>
          <div>
            <span className="drill-group">{tx('drill.response')}</span>
            {chip('response_met', lang === 'zh' ? '按时' : 'In time', c.responseMet, 'good')}
            {chip('response_late', lang === 'zh' ? '超时' : 'Late', c.responseLate, 'bad')}
            {chip('response_pending', lang === 'zh' ? '未定' : 'Pending', c.responsePending)}
          </div>
          <div>
            <span className="drill-group">{tx('drill.resolution')}</span>
            {chip('resolved', lang === 'zh' ? '解决' : 'Resolved', c.resolved, 'good')}
            {chip('partly', lang === 'zh' ? '部分解决' : 'Partly', c.partly)}
            {chip('unresolved', lang === 'zh' ? '未解决' : 'Unresolved', c.unresolved, 'bad')}
          </div>
          <div>
            <span className="drill-group">{tx('drill.satisfaction')}</span>
            {chip('satisfied', lang === 'zh' ? '满意' : 'Satisfied', c.satisfied, 'good')}
            {chip('basic', lang === 'zh' ? '基本满意' : 'Basic', c.basic)}
            {chip('unsatisfied', lang === 'zh' ? '不满意' : 'Unsatisfied', c.unsatisfied, 'bad')}
            {chip('no_answer', lang === 'zh' ? '未评价' : 'No answer', c.noAnswer)}
          </div>
        </div>
      )}
      {first.error ? (
        <ErrorNotice error={first.error} onRetry={first.reload} compact />
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {first.data ? `${first.data.measureLabel} · ${tx('drill.total', { n: first.data.total ?? items.length })}` : ''}
          </p>
          <Table
            size="small"
            rowKey="id"
            loading={first.loading && !first.data}
            dataSource={items}
            pagination={false}
            scroll={{ x: 560 }}
            locale={{ emptyText: tx('drill.none') }}
            columns={[
              {
                title: tx('drill.col.no'),
                dataIndex: 'no',
                width: 150,
                render: (no: string, r) => (
                  <Button type="link" size="small" className="order-no" onClick={() => setOpened(r.id)}>
                    {no}
                  </Button>
                ),
              },
              { title: tx('drill.col.title'), dataIndex: 'title', ellipsis: true },
              { title: tx('drill.col.unit'), key: 'unit', width: 120, ellipsis: true, render: (_: unknown, r) => r.leadUnit?.name ?? '—' },
              {
                title: measure === 'assessed' || measure.startsWith('response') || measure === 'excluded' ? tx('drill.col.accepted') : tx('drill.col.followedUp'),
                key: 'at',
                width: 110,
                render: (_: unknown, r) => formatTime(measure === 'assessed' || measure.startsWith('response') || measure === 'excluded' ? r.acceptedAt : r.followedUpAt, lang),
              },
            ]}
          />
          {moreError !== null && <ErrorNotice error={moreError} onRetry={() => void loadMore()} compact />}
          {next && (
            <div className="drill-more">
              <Button onClick={() => void loadMore()} loading={more}>
                {tx('drill.more')}
              </Button>
            </div>
          )}
        </>
      )}
      <OrderDrawer orderId={opened} onClose={() => setOpened(null)} only={['comment']} />
    </Drawer>
  );
}

export default function Rankings() {
  const { lang } = useT();
  const tx = assessmentText(lang);
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind>('street');
  const [month, setMonth] = useState(() => currentMonth());
  const [query, setQuery] = useState('');
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const data = useApi<Ranking>(`/assessment/rankings?kind=${kind}&month=${month}`);
  const r = data.data;
  const rows = useMemo(() => {
    const q = query.trim();
    return (r?.rows ?? []).filter((x) => !q || x.name.includes(q) || x.code.includes(q) || (x.district?.name.includes(q) ?? false));
  }, [r, query]);

  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(format);
    try {
      await download(`/assessment/rankings/export?kind=${kind}&month=${month}&format=${format}`, `ranking-${kind}-${month}.${format}`);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setExporting(null);
    }
  };

  const open = (row: Row, m: Measure) => setDrill({ code: row.code, name: row.name, counts: row.counts, measure: m });
  const figure = (row: Row, value: number | null, m: Measure, label: string) => (
    <Button type="link" size="small" className="figure" onClick={() => open(row, m)} aria-label={`${row.name} ${label}`}>
      {formatPercent(value)}
    </Button>
  );
  const byNumber = (f: (x: Row) => number | null) => (a: Row, b: Row) => (f(a) ?? -1) - (f(b) ?? -1);

  const columns: TableColumnsType<Row> = [
    {
      title: tx('rank.col.rank'),
      key: 'rank',
      width: 66,
      fixed: 'left',
      sorter: (a, b) => (a.rank ?? 10_000) - (b.rank ?? 10_000),
      render: (_: unknown, x) => (x.rank === null ? <span className="muted">—</span> : <b className={x.rank <= 3 ? 'rank-top' : ''}>{x.rank}</b>),
    },
    {
      title: tx('rank.col.unit'),
      key: 'unit',
      width: phone ? 120 : 170,
      fixed: 'left',
      render: (_: unknown, x) => (
        <span>
          {x.name}
          {x.attention && (
            <Tag color="red" className="attention-tag">
              {tx('rank.attention')}
            </Tag>
          )}
        </span>
      ),
    },
    ...(kind === 'street' ? [{ title: tx('rank.col.district'), key: 'district', width: 90, render: (_: unknown, x: Row) => x.district?.name ?? '' }] : []),
    {
      title: tx('rank.col.score'),
      dataIndex: 'score',
      width: 96,
      align: 'right',
      sorter: byNumber((x) => x.score),
      render: (v: number | null, x) =>
        v === null ? (
          <span className="muted">{tx('rank.unranked')}</span>
        ) : (
          <Tooltip title={x.partial ? tx('rank.partial') : undefined}>
            <b>{v.toFixed(2)}</b>
            {x.partial && <sup className="muted">*</sup>}
          </Tooltip>
        ),
    },
    { title: tx('rank.col.change'), key: 'change', width: 84, align: 'center', sorter: byNumber((x) => x.rankChange), render: (_: unknown, x) => <Change row={x} tx={tx} /> },
    { title: tx('rank.col.response'), dataIndex: 'responseRate', width: 88, align: 'right', sorter: byNumber((x) => x.responseRate), render: (v: number | null, x) => figure(x, v, 'response_late', tx('rank.col.response')) },
    { title: tx('rank.col.resolution'), dataIndex: 'resolutionRate', width: 88, align: 'right', sorter: byNumber((x) => x.resolutionRate), render: (v: number | null, x) => figure(x, v, 'unresolved', tx('rank.col.resolution')) },
    { title: tx('rank.col.satisfaction'), dataIndex: 'satisfactionRate', width: 88, align: 'right', sorter: byNumber((x) => x.satisfactionRate), render: (v: number | null, x) => figure(x, v, 'unsatisfied', tx('rank.col.satisfaction')) },
    {
      title: tx('rank.col.assessed'),
      key: 'assessed',
      width: 90,
      align: 'right',
      sorter: byNumber((x) => x.counts.assessed),
      render: (_: unknown, x) => (
        <Button type="link" size="small" className="figure" onClick={() => open(x, 'assessed')}>
          {x.counts.assessed.toLocaleString('zh-CN')}
        </Button>
      ),
    },
    {
      title: tx('rank.col.followedUp'),
      key: 'followedUp',
      width: 80,
      align: 'right',
      sorter: byNumber((x) => x.counts.followedUp),
      render: (_: unknown, x) => (
        <Button type="link" size="small" className="figure" onClick={() => open(x, 'followed_up')}>
          {x.counts.followedUp.toLocaleString('zh-CN')}
        </Button>
      ),
    },
  ];

  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    <div className="rankings-page">
      <div className="toolbar leader-toolbar">
        <LeaderNav />
        <Select aria-label={tx('rank.month')} value={month} onChange={setMonth} style={{ width: 130 }} options={monthsBack(currentMonth(), 24).map((m) => ({ value: m, label: monthLabel(m, lang) }))} />
        <Segmented aria-label={tx('rank.kind')} value={kind} onChange={(v) => setKind(v as Kind)} options={kinds.map((k) => ({ value: k, label: tx(`rank.kind.${k}` as AssessmentKey) }))} />
        <div className="spacer" />
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void exportAs('xlsx')} loading={exporting === 'xlsx'} disabled={!r}>
            {tx('rank.exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => void exportAs('csv')} loading={exporting === 'csv'} disabled={!r}>
            {tx('rank.exportCsv')}
          </Button>
        </Space>
      </div>
      <section className="panel" aria-labelledby="rank-title">
        <div className="panel-head">
          <h2 id="rank-title">
            {monthLabel(month, lang)} {tx(`rank.kind.${kind}` as AssessmentKey)}
            {tx('rank.title')}
          </h2>
          {r && <Tag color={r.source === 'snapshot' ? 'blue' : 'gold'}>{tx(`rank.source.${r.source}`, { at: formatTime(r.countedAt, lang, r.source === 'snapshot') })}</Tag>}
          {r && <span className="muted small">{tx('rank.summary', { ranked: r.ranked, units: r.units })}</span>}
          <div className="spacer" />
          <Input.Search allowClear placeholder={tx('rank.search')} aria-label={tx('rank.search')} value={query} onChange={(e) => setQuery(e.target.value)} style={{ maxWidth: 220 }} />
        </div>
        {r && (
          <p className="muted small rank-policy">
            {tx('rank.policy', { r: r.policy.weights.response, s: r.policy.weights.resolution, t: r.policy.weights.satisfaction, p: pct(r.policy.partlyResolvedCredit), b: pct(r.policy.basicSatisfiedCredit) })} · {tx('rank.drillHint')}
          </p>
        )}
        {data.error ? (
          <ErrorNotice error={data.error} onRetry={data.reload} />
        ) : (
          <Table<Row>
            size="small"
            rowKey="code"
            columns={columns}
            dataSource={rows}
            loading={data.loading}
            pagination={false}
            sticky
            scroll={{ x: kind === 'street' ? 960 : 870 }}
            rowClassName={(x) => (x.attention ? 'row-attention' : '')}
            locale={{ emptyText: tx('rank.empty') }}
          />
        )}
      </section>
      <DrillDrawer key={drill ? `${drill.code}-${drill.measure}` : 'closed'} target={drill} month={month} onClose={() => setDrill(null)} />
    </div>
  );
}
