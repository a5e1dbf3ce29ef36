/**
 * 未诉先办: today's spikes (a class suddenly frequent in one street) and the forecasts that rise well above the last
 * 30 days, each with its chart and evidence, and the buttons that open a proactive work order or alert the units —
 * once per evidence; what was opened already shows its order number.
 */
import { useState } from 'react';
import { App, Button, Card, Col, Empty, List, Row, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { formatTime, useT, type Lang } from '../../i18n';
import { OrderDrawer } from '../../orders/OrderDrawer';
import { ErrorNotice } from '../../shell/States';
import { ReactEChartsCore, echarts } from './charts';
import { LeaderNav } from './LeaderNav';
import { monthText, topicsText } from './TopicsText';

type Named = { code: string; name: string };
type Spike = { category: Named; street: Named; district: Named | null; today: number; expected: number; z: number; ratio: number | null; orders: { id: string; no: string; title: string; acceptedAt: string }[] };
type Forecast = {
  key: string;
  category: Named;
  area: { level: 'city' | 'district'; code: string | null; name: string };
  history: number[];
  months: string[];
  forecast: { month: string; value: number }[];
  method: string;
  now: number;
  rising: boolean;
  peak: { month: string; value: number; ratio: number | null };
  lastYear: { month: string; orders: number };
  units: Named[];
  evidence: { id: string; no: string; title: string; acceptedAt: string }[];
  evidenceKey: string;
};
type Action = { id: string; kind: 'order' | 'alert'; source: 'spike' | 'forecast'; evidenceKey: string; category: Named; district: Named | null; street: Named | null; units: Named[]; order: { id: string; no: string } | null; createdBy: string; createdAt: string };
type Score = { method: string; wape: number };

function ForecastChart({ f, lang }: { f: Forecast; lang: Lang }) {
  const tx = topicsText(lang);
  // The last month of the history is the current, partial one: the forecast covers it and the next.
  const months = [...f.months, f.forecast[1]?.month ?? ''];
  const actual = [...f.history.slice(0, -1), null, null];
  const partial = months.map((_, i) => (i === f.history.length - 1 ? f.history[i] : null));
  const line = months.map((_, i) => (i === f.history.length - 2 ? f.history[i] : i === f.history.length - 1 ? f.forecast[0]?.value : i === f.history.length ? f.forecast[1]?.value : null));
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 240 }}
      notMerge
      option={{
        title: { text: `${f.area.name} · ${f.category.name}`, left: 0, textStyle: { fontSize: 14 } },
        grid: { left: 40, right: 16, top: 40, bottom: 28 },
        legend: { top: 0, right: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: months.map((m) => monthText(m, lang)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: tx('pro.actual'), type: 'bar', data: actual, itemStyle: { color: '#91caff' } },
          { name: `${tx('pro.actual')}*`, type: 'bar', data: partial, itemStyle: { color: '#d9d9d9' } },
          { name: tx('pro.forecastLine'), type: 'line', data: line, connectNulls: true, lineStyle: { type: 'dashed', color: '#fa541c' }, itemStyle: { color: '#fa541c' } },
        ],
      }}
    />
  );
}

export default function Proactive() {
  const { lang } = useT();
  const tx = topicsText(lang);
  const { message, modal } = App.useApp();
  const [level, setLevel] = useState<'all' | 'city' | 'district'>('all');
  const [picked, setPicked] = useState<string | null>(null);
  const [order, setOrder] = useState<string | null>(null);
  const spikes = useApi<{ day: string; baselineDays: number; spikes: Spike[] }>('/proactive/spikes');
  const forecasts = useApi<{ month: string; nextMonth: string; forecasts: Forecast[] }>(`/proactive/forecasts?level=${level}&limit=60`);
  const actions = useApi<{ items: Action[] }>('/proactive/actions');
  const backtest = useApi<{ city: Score[]; district: Score[] }>('/proactive/forecasts/backtest');
  const opened = (key: string, kind: 'order' | 'alert') => actions.data?.items.find((a) => a.evidenceKey === key && a.kind === kind);
  const spikeKey = (s: Spike) => `spike:${s.category.code}|${s.street.code}|${spikes.data?.day ?? ''}`;

  const open = (kind: 'order' | 'alert', body: Record<string, unknown>, unit: string) => {
    modal.confirm({
      title: tx(kind === 'order' ? 'pro.confirmOrder' : 'pro.confirmAlert', { unit }),
      okText: tx('common.ok'),
      cancelText: tx('common.cancel'),
      onOk: async () => {
        try {
          const r = await api<{ order: { id: string; no: string } | null }>('/proactive/actions', { body: { kind, ...body } });
          void message.success(r.order ? tx('pro.done', { no: r.order.no }) : tx('pro.alertDone'));
          actions.reload();
        } catch (err) {
          void message.error(err instanceof Error ? err.message : String(err));
          actions.reload();
        }
      },
    });
  };
  const buttons = (key: string, body: Record<string, unknown>, unit: string) => {
    const o = opened(key, 'order');
    const a = opened(key, 'alert');
    return (
      <Space size={4}>
        {o ? <Tag color="green" style={{ cursor: 'pointer' }} onClick={() => setOrder(o.order?.id ?? null)}>{tx('pro.opened', { no: o.order?.no ?? '' })}</Tag> : <Button size="small" type="primary" onClick={() => open('order', body, unit)}>{tx('pro.openOrder')}</Button>}
        {a ? <Tag color="orange">{tx('pro.alerted')}</Tag> : <Button size="small" onClick={() => open('alert', body, unit)}>{tx('pro.alert')}</Button>}
      </Space>
    );
  };

  const spikeColumns: TableColumnsType<Spike> = [
    { title: tx('pro.col.place'), key: 'place', render: (_, s) => `${s.district?.name ?? ''} ${s.street.name}` },
    { title: tx('pro.col.class'), key: 'cls', render: (_, s) => s.category.name },
    { title: tx('pro.col.today'), dataIndex: 'today', align: 'right', render: (n: number) => <b className="bad">{n}</b> },
    { title: tx('pro.col.expected'), dataIndex: 'expected', align: 'right' },
    { title: 'z', dataIndex: 'z', align: 'right' },
    { key: 'orders', render: (_, s) => <Space size={2} wrap>{s.orders.slice(0, 3).map((o) => <Tag key={o.id} style={{ cursor: 'pointer' }} onClick={() => setOrder(o.id)}>{o.no}</Tag>)}</Space> },
    { key: 'act', render: (_, s) => buttons(spikeKey(s), { source: 'spike', categoryCode: s.category.code, streetCode: s.street.code }, s.street.name) },
  ];
  const list = forecasts.data?.forecasts ?? [];
  const current = list.find((f) => f.key === picked) ?? list[0];
  const forecastColumns: TableColumnsType<Forecast> = [
    { title: tx('pro.col.place'), key: 'area', width: 80, render: (_, f) => <span style={{ whiteSpace: 'nowrap' }}>{f.area.name}</span> },
    { title: tx('pro.col.class'), key: 'cls', render: (_, f) => f.category.name },
    { title: tx('pro.col.now'), dataIndex: 'now', align: 'right' },
    { title: tx('pro.col.forecast'), key: 'peak', align: 'right', render: (_, f) => <span style={{ whiteSpace: 'nowrap' }}><b className="bad">{Math.round(f.peak.value)}</b> <span className="muted">{lang === 'zh' ? `${Number(f.peak.month.slice(5))}月` : f.peak.month}</span></span> },
    { title: tx('pro.col.lastYear'), key: 'ly', align: 'right', render: (_, f) => f.lastYear.orders },
    { title: tx('pro.col.units'), key: 'units', render: (_, f) => f.units[0]?.name ?? '—' },
    { key: 'act', render: (_, f) => f.units.length === 0 ? <span className="muted">{tx('pro.pickDistrict')}</span> : buttons(f.evidenceKey, { source: 'forecast', categoryCode: f.category.code, ...(f.area.code ? { districtCode: f.area.code } : {}) }, f.units[0]?.name ?? f.area.name) },
  ];
  const best = (xs: Score[] | undefined, m: string) => xs?.find((s) => s.method === m)?.wape;
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x * 100)}%`);
  return (
    <div className="page" style={{ padding: 16 }}>
      <Space style={{ marginBottom: 12 }}>
        <LeaderNav />
      </Space>
      <Card size="small" title={tx('pro.spikes')} extra={<span className="muted">{tx('pro.spikesHint', { n: spikes.data?.baselineDays ?? 28 })}</span>} style={{ marginBottom: 16 }}>
        {spikes.error ? <ErrorNotice error={spikes.error} onRetry={spikes.reload} compact /> : null}
        <Table<Spike> rowKey={(s) => `${s.category.code}|${s.street.code}`} size="small" loading={spikes.loading} dataSource={spikes.data?.spikes ?? []} columns={spikeColumns} pagination={false} locale={{ emptyText: <Empty description={tx('pro.noSpikes')} /> }} />
      </Card>
      <Card
        size="small"
        title={tx('pro.forecasts')}
        extra={
          <Space>
            <span className="muted">{tx('pro.forecastsHint')}</span>
            <Segmented value={level} onChange={(v) => setLevel(v as typeof level)} options={(['all', 'city', 'district'] as const).map((v) => ({ value: v, label: tx(`pro.level.${v}`) }))} />
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        {forecasts.error ? <ErrorNotice error={forecasts.error} onRetry={forecasts.reload} compact /> : null}
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Table<Forecast>
              rowKey="key"
              size="small"
              loading={forecasts.loading}
              dataSource={list}
              columns={forecastColumns}
              pagination={{ pageSize: 10, size: 'small' }}
              onRow={(f) => ({ onClick: () => setPicked(f.key), style: { cursor: 'pointer', background: current?.key === f.key ? '#e6f4ff' : undefined } })}
              locale={{ emptyText: <Empty description={tx('pro.noForecasts')} /> }}
            />
          </Col>
          <Col xs={24} lg={10}>
            {current ? (
              <>
                <ForecastChart f={current} lang={lang} />
                <Typography.Text type="secondary">{tx('pro.col.lastYear')}：</Typography.Text>
                <Space size={2} wrap>{current.evidence.slice(0, 6).map((o) => <Tag key={o.id} style={{ cursor: 'pointer' }} onClick={() => setOrder(o.id)}>{o.no}</Tag>)}</Space>
              </>
            ) : null}
            {backtest.data ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {tx('pro.backtest', { city: pct(best(backtest.data.city, 'blend')), district: pct(best(backtest.data.district, 'pooled')), naive: pct(best(backtest.data.city, 'naive')) })}
              </Typography.Paragraph>
            ) : null}
          </Col>
        </Row>
      </Card>
      <Card size="small" title={tx('pro.actions')}>
        <List
          size="small"
          dataSource={actions.data?.items ?? []}
          renderItem={(a) => (
            <List.Item>
              <Space wrap>
                <Tag color={a.kind === 'order' ? 'green' : 'orange'}>{a.kind === 'order' ? tx('pro.openOrder') : tx('pro.alert')}</Tag>
                <span>{a.street?.name ?? a.district?.name ?? tx('topics.scope.city')} · {a.category.name}</span>
                <span className="muted">{a.units.map((u) => u.name).join('、')}</span>
                {a.order ? <a onClick={() => setOrder(a.order?.id ?? null)}>{a.order.no}</a> : null}
                <span className="muted">{a.createdBy} · {formatTime(a.createdAt, lang)}</span>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <OrderDrawer orderId={order} onClose={() => setOrder(null)} />
    </div>
  );
}
