/** 领导驾驶舱: Beijing's 16 districts coloured by a chosen measure, streets as points, trend, top categories, ranking. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Segmented, Table, type TableColumnsType } from 'antd';
import { useApi, useIsPhone } from '../../api/hooks';
import { useOrderEvents } from '../../api/events';
import type { StatsOverview } from '../../api/types';
import { formatPercent, useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';
import { ErrorNotice } from '../../shell/States';
import { echarts, ReactEChartsCore } from './charts';
import { LeaderNav } from './LeaderNav';

type Measure = 'accepted' | 'overdue' | 'responseRate' | 'resolutionRate' | 'satisfactionRate';
const measures: Measure[] = ['accepted', 'overdue', 'responseRate', 'resolutionRate', 'satisfactionRate'];
const isRate = (m: Measure) => m.endsWith('Rate');
type Range = 'today' | '7d' | 'month' | '30d' | 'year';

function ymd(d: Date): string {
  // Beijing calendar date.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

function rangeOf(r: Range, now = new Date()): { from: string; to: string } {
  const to = ymd(now);
  const day = 86400_000;
  switch (r) {
    case 'today':
      return { from: to, to };
    case '7d':
      return { from: ymd(new Date(now.getTime() - 6 * day)), to };
    case '30d':
      return { from: ymd(new Date(now.getTime() - 29 * day)), to };
    case 'month':
      return { from: `${to.slice(0, 8)}01`, to };
    case 'year':
      return { from: `${to.slice(0, 5)}01-01`, to };
  }
}

/** The 16 districts' outline, registered once for every chart. */
function useBeijingMap(): { ready: boolean; error: unknown } {
  const geo = useApi<{ type: 'FeatureCollection'; features: unknown[] }>('/geo/districts');
  const [ready, setReady] = useState(() => Boolean(echarts.getMap('beijing')));
  useEffect(() => {
    if (geo.data && !echarts.getMap('beijing')) {
      echarts.registerMap('beijing', geo.data as unknown as Parameters<typeof echarts.registerMap>[1]);
      setReady(true);
    }
  }, [geo.data]);
  return { ready, error: geo.error };
}

function Counter({ label, value, tone }: { label: string; value: number | undefined; tone?: 'danger' | 'ok' | 'primary' }) {
  return (
    <div className={`counter ${tone ?? ''}`}>
      <div className="counter-label">{label}</div>
      <div className="counter-value" aria-live="polite">
        {value === undefined ? '—' : value.toLocaleString('zh-CN')}
      </div>
    </div>
  );
}

export default function LeaderDashboard() {
  const { t } = useT();
  const phone = useIsPhone();
  const [measure, setMeasure] = useState<Measure>('accepted');
  const [range, setRange] = useState<Range>('month');
  // A district picked on the map or in the ranking: highlighted in both.
  const [focus, setFocus] = useState<string | null>(null);
  const { from, to } = rangeOf(range);
  const stats = useApi<StatsOverview>(`/stats/overview?from=${from}&to=${to}`);
  const map = useBeijingMap();
  useOrderEvents(() => stats.reload(), 2000);
  const s = stats.data;
  const measureLabel = (m: Measure) => t(`leader.measure.${m}` as MessageKey);

  const mapOption = useMemo(() => {
    const rows = s?.byDistrict ?? [];
    const values = rows.map((d) => {
      const v = d[measure];
      return v === null || v === undefined ? null : isRate(measure) && v <= 1 ? v * 100 : v;
    });
    const present = values.filter((v): v is number => v !== null);
    const max = isRate(measure) ? 100 : Math.max(1, ...present);
    const min = isRate(measure) ? Math.min(80, ...present) : 0;
    const streets = (s?.byStreet ?? []).filter((x) => typeof x.lat === 'number' && typeof x.lng === 'number');
    const maxStreet = Math.max(1, ...streets.map((x) => x.accepted));
    // Good rates are green, high counts are red: the colour always means "look here".
    const colours = isRate(measure) ? ['#c62828', '#f9a825', '#e8f5e9', '#2e7d32'] : ['#eef3fb', '#90b4e0', '#1d4f91', '#0b2a55'];
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesType: string; name: string; value: number | number[] | undefined; data?: { accepted?: number; overdue?: number } }) => {
          if (p.seriesType === 'scatter') return `${p.name}<br/>${t('leader.measure.accepted')} ${p.data?.accepted ?? 0} · ${t('leader.measure.overdue')} ${p.data?.overdue ?? 0}`;
          const v = typeof p.value === 'number' && !Number.isNaN(p.value) ? (isRate(measure) ? `${p.value.toFixed(1)}%` : p.value.toLocaleString('zh-CN')) : '—';
          return `${p.name}<br/>${measureLabel(measure)}：${v}`;
        },
      },
      visualMap: {
        min,
        max,
        calculable: true,
        orient: phone ? 'horizontal' : 'vertical',
        left: phone ? 'center' : 10,
        bottom: 10,
        itemHeight: phone ? 120 : 110,
        inRange: { color: colours },
        seriesIndex: 0,
        textStyle: { color: '#333' },
      },
      geo: {
        map: 'beijing',
        roam: true,
        top: 16,
        bottom: phone ? 64 : 16,
        left: phone ? 8 : 90,
        right: 8,
        label: { show: !phone, fontSize: 11, color: '#1f2329', textBorderColor: '#fff', textBorderWidth: 2 },
        itemStyle: { borderColor: '#fff', borderWidth: 1, areaColor: '#e9edf3' },
        emphasis: { label: { show: true, fontWeight: 'bold' }, itemStyle: { areaColor: '#ffd666' } },
        selectedMode: 'single',
        select: { itemStyle: { areaColor: '#ffc53d', borderColor: '#d46b08', borderWidth: 2 }, label: { show: true, fontWeight: 'bold' } },
        regions: rows.filter((d) => d.code === focus).map((d) => ({ name: d.name, selected: true })),
      },
      series: [
        { type: 'map', geoIndex: 0, name: measureLabel(measure), data: rows.map((d, i) => ({ name: d.name, value: values[i] ?? NaN })) },
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          name: t('leader.streets'),
          data: streets.map((x) => ({ name: x.name, value: [x.lng, x.lat, x.accepted], accepted: x.accepted, overdue: x.overdue })),
          symbolSize: (v: number[]) => 4 + 14 * Math.sqrt((v[2] ?? 0) / maxStreet),
          itemStyle: { color: 'rgba(212, 107, 8, 0.75)', borderColor: '#fff', borderWidth: 0.5 },
          zlevel: 1,
        },
      ],
    };
    // measureLabel and t change with the language; lang is covered by t.
  }, [s, measure, phone, t, focus]);

  const trendOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('leader.trend.accepted'), t('leader.trend.closed')], top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: (s?.trend ?? []).map((x) => x.date.slice(5)), boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('leader.trend.accepted'), type: 'line', smooth: true, data: (s?.trend ?? []).map((x) => x.accepted), itemStyle: { color: '#1d4f91' }, showSymbol: false, areaStyle: { color: 'rgba(29, 79, 145, 0.08)' } },
        { name: t('leader.trend.closed'), type: 'line', smooth: true, data: (s?.trend ?? []).map((x) => x.closed), itemStyle: { color: '#2e7d32' }, showSymbol: false },
      ],
    }),
    [s, t],
  );

  const catOption = useMemo(() => {
    const top = [...(s?.topCategories ?? [])].slice(0, 10).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: top.map((c) => c.name), axisLabel: { width: 110, overflow: 'truncate' } },
      series: [{ type: 'bar', data: top.map((c) => c.count), itemStyle: { color: '#1d4f91', borderRadius: [0, 3, 3, 0] }, label: { show: true, position: 'right' }, barMaxWidth: 18 }],
    };
  }, [s]);

  type Row = StatsOverview['byDistrict'][number];
  const rate = (v: number | null) => formatPercent(v);
  const columns: TableColumnsType<Row> = [
    { title: '#', key: 'rank', width: 36, render: (_: unknown, __: Row, i: number) => <span className="muted">{i + 1}</span> },
    { title: t('leader.district'), dataIndex: 'name', width: 84 },
    { title: t('leader.measureShort.accepted'), dataIndex: 'accepted', align: 'right', width: 72 },
    { title: t('leader.measureShort.overdue'), dataIndex: 'overdue', align: 'right', width: 56, render: (v: number) => <span className={v ? 'danger-text' : ''}>{v}</span> },
    { title: t('leader.short.response'), dataIndex: 'responseRate', align: 'right', width: 72, render: rate },
    { title: t('leader.short.resolution'), dataIndex: 'resolutionRate', align: 'right', width: 72, render: rate },
    { title: t('leader.short.satisfaction'), dataIndex: 'satisfactionRate', align: 'right', width: 72, render: rate },
  ];
  const ranked = useMemo(() => {
    const rows = [...(s?.byDistrict ?? [])];
    const key = measure;
    return rows.sort((a, b) => ((b[key] ?? -1) as number) - ((a[key] ?? -1) as number));
  }, [s, measure]);

  const statsMissing = stats.error !== null && stats.error !== undefined;

  return (
    <div className="leader-dashboard">
      <div className="toolbar leader-toolbar">
        <LeaderNav />
        <Segmented
          aria-label={t('leader.range')}
          value={range}
          onChange={(v) => setRange(v as Range)}
          options={(['today', '7d', 'month', '30d', 'year'] as Range[]).map((r) => ({ value: r, label: t(`leader.range.${r}`) }))}
        />
        <span className="muted small">
          {from} — {to}
        </span>
      </div>
      {statsMissing && (
        <div className="panel-alert">
          <ErrorNotice error={stats.error} onRetry={stats.reload} compact />
        </div>
      )}
      <div className="counters">
        <Counter label={t('leader.total.accepted')} value={s?.totals.accepted} tone="primary" />
        <Counter label={t('leader.total.open')} value={s?.totals.open} />
        <Counter label={t('leader.total.overdue')} value={s?.totals.overdue} tone="danger" />
        <Counter label={t('leader.total.closed')} value={s?.totals.closed} tone="ok" />
      </div>
      <div className="leader-grid">
        <section className="panel map-panel" aria-labelledby="map-heading">
          <div className="panel-head">
            <h2 id="map-heading">{t('leader.map')}</h2>
            <div className="spacer" />
            <Segmented
              size="small"
              aria-label={t('leader.measure')}
              value={measure}
              onChange={(v) => setMeasure(v as Measure)}
              options={measures.map((m) => ({ value: m, label: t(`leader.measureShort.${m}` as MessageKey) }))}
            />
          </div>
          {map.error ? (
            <ErrorNotice error={map.error} compact />
          ) : map.ready ? (
            <ReactEChartsCore
              echarts={echarts}
              option={mapOption}
              notMerge
              style={{ height: phone ? 360 : 520 }}
              onEvents={{
                click: (p: { name?: string }) => {
                  const d = s?.byDistrict.find((x) => x.name === p.name);
                  if (d) setFocus(d.code === focus ? null : d.code);
                },
              }}
            />
          ) : (
            <div className="chart-placeholder" style={{ height: phone ? 360 : 520 }} role="status">
              {t('state.loading')}
            </div>
          )}
          {!s && !statsMissing && <p className="muted small">{t('leader.loadingStats')}</p>}
          {s && s.byStreet.every((x) => typeof x.lat !== 'number') && <p className="muted small">{t('leader.noStreetPoints')}</p>}
        </section>
        <section className="panel ranking-panel" aria-labelledby="rank-heading">
          <div className="panel-head">
            <h2 id="rank-heading">{t('leader.ranking')}</h2>
            <span className="muted small">{t('leader.rankBy', { measure: measureLabel(measure) })}</span>
          </div>
          <Table<Row> size="small" rowKey="code" columns={columns} dataSource={ranked} pagination={false} loading={stats.loading && !s} tableLayout="fixed" scroll={{ x: 464 }} locale={{ emptyText: t('leader.rankingEmpty') }} onRow={(r) => ({ className: r.code === focus ? 'row-focus' : '', onClick: () => setFocus(r.code === focus ? null : r.code) })} />
        </section>
        <section className="panel" aria-labelledby="trend-heading">
          <div className="panel-head">
            <h2 id="trend-heading">{t('leader.trend')}</h2>
          </div>
          {s && s.trend.length > 0 ? <ReactEChartsCore echarts={echarts} option={trendOption} notMerge style={{ height: 260 }} /> : <div className="chart-placeholder" style={{ height: stats.loading ? 260 : 120 }}>{stats.loading ? t('state.loading') : t('leader.noTrend')}</div>}
        </section>
        <section className="panel" aria-labelledby="cat-heading">
          <div className="panel-head">
            <h2 id="cat-heading">{t('leader.topCategories')}</h2>
          </div>
          {s && s.topCategories.length > 0 ? <ReactEChartsCore echarts={echarts} option={catOption} notMerge style={{ height: 260 }} /> : <div className="chart-placeholder" style={{ height: stats.loading ? 260 : 120 }}>{stats.loading ? t('state.loading') : t('leader.noCategories')}</div>}
        </section>
      </div>
      {!statsMissing && s && s.totals.accepted === 0 && <Alert type="info" showIcon title={t('leader.emptyPeriod')} className="panel-alert" />}
    </div>
  );
}
