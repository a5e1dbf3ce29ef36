/**
 * 城市运行指挥大屏: the centre's big screen. The map of the viewer's area (Beijing's districts, a district's streets,
 * a street's grid cells) coloured by one indicator's thresholds, with open orders, alarms and patrol reports as
 * points; indicator tiles; live feeds of alarms, new orders and patrols; one-click dispatch of a review-queue order
 * and of an alarm. Each level opens on its own area and drills down, never up past it. Dark, 1920×1080 first.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Popconfirm, Segmented, Tag, Tooltip } from 'antd';
import { AimOutlined, ArrowUpOutlined, FullscreenExitOutlined, FullscreenOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import { useAlarmEvents, useOrderEvents } from '../../api/events';
import { useApi, useNow } from '../../api/hooks';
import type { OrderDetail, OrderSummary } from '../../api/types';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';
import { echarts, ReactEChartsCore } from './charts';
import { commandText, indicatorName, type CommandKey } from './commandText';
import { childLevel, colourHex, formatReading, severityHex, type ClearedAlarm, type CommandMap, type IndicatorPage, type Reading, type UnitIndicators } from './types';
import './command.css';

type Tx = (key: CommandKey, vars?: Record<string, string | number>) => string;
type FeatureCollection = { type: 'FeatureCollection'; features: { type: 'Feature'; properties: { code: string; name: string }; geometry: unknown }[] };

const ALARM_POLL_MS = 60_000;
/** Indicators that colour the map, in the order the switch offers them. */
const mapMeasures = ['orders.overdue_open', 'orders.open', 'rates.satisfaction', 'rates.resolution', 'alarms.open'] as const;

const time = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
const dateTime = (ms: number) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(ms));
const reading = (u: UnitIndicators | undefined, key: string) => u?.indicators.find((i) => i.key === key);

/** The district outlines, fetched once; maps for a single district are cut from them. */
function useDistrictShapes(): { shapes: FeatureCollection | undefined; error: unknown } {
  const geo = useApi<FeatureCollection>('/geo/districts');
  return { shapes: geo.data, error: geo.error };
}

function mapFor(area: IndicatorPage['area']['unit'], shapes: FeatureCollection, grids: CommandMap['gridCells']): { name: string; zoomTo: [number, number] | null } {
  if (area.level === 'city') {
    if (!echarts.getMap('cmd-beijing')) echarts.registerMap('cmd-beijing', shapes as unknown as Parameters<typeof echarts.registerMap>[1]);
    return { name: 'cmd-beijing', zoomTo: null };
  }
  if (grids.length > 0) {
    const name = `cmd-grids-${area.code}-${grids.length}`;
    if (!echarts.getMap(name)) echarts.registerMap(name, { type: 'FeatureCollection', features: grids.map((g) => ({ type: 'Feature', properties: { name: g.id }, geometry: g.geometry })) } as unknown as Parameters<typeof echarts.registerMap>[1]);
    return { name, zoomTo: null };
  }
  // Streets and below have no surveyed outline: their district's, zoomed to the unit's own point.
  const district = area.code.slice(0, 6);
  const name = `cmd-district-${district}`;
  if (!echarts.getMap(name)) echarts.registerMap(name, { type: 'FeatureCollection', features: shapes.features.filter((f) => f.properties.code === district) } as unknown as Parameters<typeof echarts.registerMap>[1]);
  return { name, zoomTo: area.level === 'district' ? null : area.center };
}

/** The wall clock, in its own component so its ticking re-renders nothing else. */
function Clock() {
  const now = useNow(1000);
  return <span className="cmd-clock">{dateTime(now)}</span>;
}

function Tile({ r, tx, name }: { r: Reading; tx: Tx; name: string }) {
  const parts = r.breakdown?.slice(0, 3) ?? [];
  return (
    <div className={`cmd-tile cmd-${r.colour}`} data-key={r.key} data-colour={r.colour}>
      <div className="cmd-tile-name">{name}</div>
      <div className="cmd-tile-value">
        {formatReading(r)}
        <span className="cmd-tile-unit">{r.value === null ? '' : r.unitLabel}</span>
      </div>
      <div className="cmd-tile-foot">
        {parts.length > 0 ? (
          parts.map((p) => (
            <span key={p.code}>
              {p.name} {p.count}
            </span>
          ))
        ) : (
          <span>{r.value === null ? tx('cmd.noValue') : tx(`cmd.colour.${r.colour}`)}</span>
        )}
      </div>
    </div>
  );
}

/** One-click dispatch of a review-queue order to the unit intelligent dispatch proposed (confirmed in one more click). */
function ReviewItem({ order, tx, onDone }: { order: OrderSummary; tx: Tx; onDone: () => void }) {
  const { message } = App.useApp();
  const [target, setTarget] = useState<{ code: string; name: string } | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    const d = await api<OrderDetail & { proposal?: { leadUnit?: { code?: string; name?: string } | null } | null }>(`/orders/${order.id}`);
    const p = d.proposal?.leadUnit;
    setTarget(p?.code && p.name ? { code: p.code, name: p.name } : order.street ? { code: order.street.code, name: order.street.name } : null);
  };
  const run = async () => {
    if (!target) return;
    setBusy(true);
    try {
      await api(`/orders/${order.id}/transitions`, { method: 'POST', body: { action: 'dispatch', version: order.version, leadUnitCode: target.code } });
      message.success(tx('cmd.dispatched', { no: order.no, unit: target.name }));
      onDone();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="cmd-feed-item">
      <div className="cmd-feed-main">
        <span className="cmd-feed-title">{order.title}</span>
        <span className="cmd-feed-meta">
          {order.no} · {order.street?.name ?? order.district?.name ?? '—'} · {time(order.acceptedAt)}
        </span>
      </div>
      <Popconfirm
        title={target === null ? tx('cmd.dispatchNoUnit') : target ? tx('cmd.dispatchTo', { unit: target.name }) : '…'}
        onOpenChange={(open) => {
          if (open && target === undefined) load().catch(() => setTarget(null));
        }}
        onConfirm={() => void run()}
        okButtonProps={{ disabled: !target, loading: busy }}
      >
        <Button size="small" type="primary" icon={<SendOutlined />} className="cmd-act">
          {tx('cmd.dispatch')}
        </Button>
      </Popconfirm>
    </li>
  );
}

export default function CommandScreen() {
  const { lang } = useT();
  const tx = useMemo(() => commandText(lang), [lang]);
  const { me } = useSession();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit');
  const [measure, setMeasure] = useState<(typeof mapMeasures)[number]>('orders.overdue_open');
  const [full, setFull] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  // The area's own figures and those of the level below it; the map's points; the feeds.
  const [level, setLevel] = useState<string | null>(null);
  const indPath = `/indicators?${new URLSearchParams({ ...(unit ? { unit } : {}), ...(level ? { level } : {}) }).toString()}`;
  const ind = useApi<IndicatorPage>(indPath);
  const mapData = useApi<CommandMap>(`/command/map${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`);
  const { shapes, error: shapeError } = useDistrictShapes();
  const here = ind.data?.area.unit;
  const orderFilter = here?.level === 'district' ? `&district=${here.code}` : here && here.level !== 'city' ? `&street=${here.code.slice(0, 9)}` : '';
  const recent = useApi<{ items: OrderSummary[] }>(here ? `/orders?limit=12${orderFilter}` : null);
  // Alarms cleared lately, by a person or by themselves (the model's recovery held: 自动解除, with its reason).
  const cleared = useApi<{ items: ClearedAlarm[] }>(here ? `/alarms?state=cleared&limit=20${here.level === 'city' || here.level === 'district' ? '' : `&street=${here.code.slice(0, 9)}`}` : null);
  const canDispatch = me?.role === 'dispatcher';
  const review = useApi<{ items: OrderSummary[] }>(canDispatch ? '/orders?state=pending_review&limit=8' : null);

  // Ask for the level below once the area is known (the first answer tells us the area's own level).
  useEffect(() => {
    if (here && here.level !== 'grid') {
      const want = childLevel(here.level);
      if (level !== want) setLevel(want);
    }
  }, [here, level]);

  const { reload: reloadInd } = ind;
  const { reload: reloadMap } = mapData;
  const { reload: reloadRecent } = recent;
  const { reload: reloadReview } = review;
  const reloadAll = useCallback(() => {
    reloadInd();
    reloadMap();
    reloadRecent();
    reloadReview();
  }, [reloadInd, reloadMap, reloadRecent, reloadReview]);
  useOrderEvents(() => reloadAll(), 3000);
  // Alarms arrive on the live channel (raised, acted on, ordered: only this area's); the slow poll covers a dropped stream.
  const { reload: reloadCleared } = cleared;
  useAlarmEvents(() => {
    reloadMap();
    reloadCleared();
  }, 300);
  useEffect(() => {
    const t = window.setInterval(reloadMap, ALARM_POLL_MS);
    return () => window.clearInterval(t);
  }, [reloadMap]);

  useEffect(() => {
    const on = () => setFull(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);

  const goTo = (code: string | null) => {
    setLevel(null);
    setParams(code ? { unit: code } : {});
  };

  const compute = async () => {
    try {
      await api('/indicators/compute', { method: 'POST', body: here ? { unit: here.code } : {} });
      ind.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const alarmToOrder = async (a: CommandMap['alarms'][number]) => {
    try {
      // 一网统管's one-click endpoint: dispatched to the alarm's assignee or street, else to the review queue.
      const r = await api<{ order: { id: string; no: string } }>(`/alarms/${a.id}/to-order`, { method: 'POST', body: {} });
      message.success(tx('cmd.ordered', { no: r.order.no }));
      mapData.reload();
      recent.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const page = ind.data;
  const children = useMemo(() => (page && page.level !== page.area.unit.level ? page.units : []), [page]);

  const mapOption = useMemo(() => {
    if (!page || !shapes) return null;
    const grids = mapData.data?.gridCells ?? [];
    const { name, zoomTo } = mapFor(page.area.unit, shapes, grids);
    const colourOfUnit = (u: UnitIndicators) => colourHex[reading(u, measure)?.colour ?? 'none'];
    const isCity = page.area.unit.level === 'city';
    // A map series drawn on a shared geo takes its colours from the geo's regions, not from its own data.
    const areaData = isCity ? children.map((u) => ({ name: u.unit.name, code: u.unit.code, value: reading(u, measure)?.value ?? null })) : grids.map((g) => ({ name: g.id, code: g.id, value: null }));
    const regions = isCity
      ? children.map((u) => ({ name: u.unit.name, itemStyle: { areaColor: `${colourOfUnit(u)}66`, borderColor: '#6fb1ff' } }))
      : grids.map((g) => ({ name: g.id, itemStyle: { areaColor: 'rgba(40, 120, 200, 0.25)', borderColor: '#37d4ff' } }));
    // Open orders per street at the street's point (seeded and phoned-in orders rarely carry coordinates).
    const load = isCity || page.area.unit.level === 'district' ? (mapData.data?.streets ?? []) : [];
    const maxLoad = Math.max(1, ...load.map((x) => x.open));
    const unitPoints = isCity ? [] : children.filter((u) => u.unit.center).map((u) => ({ name: u.unit.name, code: u.unit.code, value: [...u.unit.center!, reading(u, 'orders.open')?.value ?? 0], shown: reading(u, measure), itemStyle: { color: colourOfUnit(u) } }));
    const maxOpen = Math.max(1, ...unitPoints.map((p) => p.value[2] ?? 0));
    const placed = unitPoints.length + load.length + grids.length + (mapData.data?.orders.length ?? 0);
    const orders = mapData.data?.orders ?? [];
    const alarms = (mapData.data?.alarms ?? []).filter((a) => a.lat !== null && a.lng !== null);
    const patrols = (mapData.data?.patrols ?? []).filter((p) => p.lat !== null && p.lng !== null);
    return {
      placed: isCity || placed > 0,
      backgroundColor: 'transparent',
      tooltip: {
        trigger: 'item',
        backgroundColor: 'rgba(6, 22, 48, 0.92)',
        borderColor: '#2a6fd6',
        textStyle: { color: '#e6f0ff' },
        formatter: (p: { seriesName: string; name: string; data?: { shown?: Reading; value?: unknown; title?: string; meta?: string } }) => {
          if (p.data?.title) return `${p.data.title}<br/><span style="opacity:.75">${p.data.meta ?? ''}</span>`;
          const r = p.data?.shown ?? (isCity ? reading(children.find((u) => u.unit.name === p.name), measure) : undefined);
          return r ? `${p.name}<br/>${indicatorName(lang, r.key, r.name)}：${formatReading(r)}${r.value === null ? '' : r.unitLabel}` : p.name;
        },
      },
      geo: {
        map: name,
        roam: true,
        ...(zoomTo ? { center: zoomTo, zoom: 6 } : {}),
        top: 24,
        bottom: 24,
        left: 24,
        right: 24,
        label: { show: isCity, color: '#cfe3ff', fontSize: 12 },
        itemStyle: { areaColor: '#0d2a52', borderColor: '#3d8bff', borderWidth: 1.2, shadowColor: 'rgba(61, 139, 255, 0.5)', shadowBlur: 12 },
        emphasis: { label: { show: true, color: '#fff' }, itemStyle: { areaColor: '#1c4f8f' } },
        regions,
      },
      series: [
        { type: 'map', name: 'areas', geoIndex: 0, data: areaData },
        {
          type: 'scatter',
          name: 'units',
          coordinateSystem: 'geo',
          data: unitPoints,
          symbolSize: (v: number[]) => 8 + 18 * Math.sqrt((v[2] ?? 0) / maxOpen),
          label: { show: unitPoints.length <= 60, formatter: '{b}', position: 'right', color: '#cfe3ff', fontSize: 11 },
          zlevel: 1,
        },
        {
          type: 'scatter',
          name: 'load',
          coordinateSystem: 'geo',
          data: load.map((x) => ({ name: x.name, value: [...x.center, x.open], title: x.name, meta: tx('cmd.tip.load', { open: x.open, overdue: x.overdue }), itemStyle: { color: x.overdue > 0 ? 'rgba(240, 82, 79, 0.75)' : 'rgba(55, 212, 255, 0.7)' } })),
          symbolSize: (v: number[]) => 3 + 12 * Math.sqrt((v[2] ?? 0) / maxLoad),
          zlevel: 1,
        },
        {
          type: 'scatter',
          name: 'orders',
          coordinateSystem: 'geo',
          data: orders.map((o) => ({ name: o.no, value: [o.lng, o.lat], title: o.title, meta: `${o.no} · ${o.stateLabel}${o.overdue ? ` · ${tx('cmd.tip.overdue')}` : ''}`, itemStyle: { color: o.overdue ? '#f0524f' : '#37d4ff' } })),
          symbolSize: 5,
          zlevel: 2,
        },
        {
          type: 'scatter',
          name: 'patrols',
          coordinateSystem: 'geo',
          symbol: 'triangle',
          data: patrols.map((p) => ({ name: p.id, value: [p.lng, p.lat], title: p.description, meta: `${p.reporter} · ${time(p.at)}`, itemStyle: { color: '#b58cff' } })),
          symbolSize: 9,
          zlevel: 2,
        },
        {
          type: 'effectScatter',
          name: 'alarms',
          coordinateSystem: 'geo',
          data: alarms.map((a) => ({ name: a.no, value: [a.lng, a.lat], title: a.title, meta: `${a.no} · ${a.severityLabel} · ${time(a.raisedAt)}`, itemStyle: { color: severityHex[a.severity] ?? '#ff8a3d' } })),
          symbolSize: 12,
          rippleEffect: { scale: 3.5, brushType: 'stroke' },
          zlevel: 3,
        },
      ],
    };
  }, [page, shapes, mapData.data, children, measure, tx, lang]);

  const onMapClick = (p: { seriesName?: string; name?: string; data?: { code?: string } }) => {
    const code = p.data?.code ?? (p.seriesName === 'areas' ? children.find((u) => u.unit.name === p.name)?.unit.code : undefined);
    if (code && (p.seriesName === 'areas' || p.seriesName === 'units') && code !== here?.code) goTo(code);
  };

  const toggleFull = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void root.current?.requestFullscreen?.();
  };

  const ranked = useMemo(() => {
    const rank = { red: 0, yellow: 1, green: 2, none: 3 } as const;
    return [...children].sort((a, b) => {
      const ra = reading(a, measure);
      const rb = reading(b, measure);
      return rank[ra?.colour ?? 'none'] - rank[rb?.colour ?? 'none'] || (rb?.value ?? -1) - (ra?.value ?? -1);
    });
  }, [children, measure]);

  const alarms = mapData.data?.alarms ?? [];
  const recentlyCleared = [...(cleared.data?.items ?? [])].sort((a, b) => (b.clearedAt ?? '').localeCompare(a.clearedAt ?? '')).slice(0, 6);
  const patrols = mapData.data?.patrols ?? [];
  const trail = page?.trail ?? [];
  const measureName = (k: string) => indicatorName(lang, k, reading(page?.area, k)?.name ?? k);

  return (
    <div className="cmd-screen" ref={root} data-level={here?.level ?? ''}>
      <header className="cmd-head">
        <div className="cmd-head-side">
          <nav className="cmd-trail" aria-label={tx('cmd.area')}>
            {trail.map((c, i) => (
              <span key={c.code}>
                {i > 0 && <span className="cmd-trail-sep">›</span>}
                {i < trail.length - 1 ? (
                  <button type="button" className="cmd-link" onClick={() => goTo(c.code === page?.own ? null : c.code)}>
                    {c.name}
                  </button>
                ) : (
                  <strong>{c.name}</strong>
                )}
              </span>
            ))}
          </nav>
          {trail.length > 1 && (
            <Button size="small" ghost icon={<ArrowUpOutlined />} onClick={() => goTo(trail.length > 2 ? trail[trail.length - 2]!.code : null)}>
              {tx('cmd.back')}
            </Button>
          )}
        </div>
        <h1 className="cmd-title">
          {here ? `${here.name} · ` : ''}
          {tx('cmd.title')}
        </h1>
        <div className="cmd-head-side cmd-head-right">
          <Clock />
          <Tooltip title={tx('cmd.pollHint')}>
            <span className="cmd-updated">
              {page ? tx('cmd.updated', { at: time(page.at) }) : ''} {page ? `(${tx(`cmd.source.${page.source}`)})` : ''}
            </span>
          </Tooltip>
          <Button size="small" ghost icon={<ReloadOutlined />} onClick={() => void compute()}>
            {tx('cmd.refresh')}
          </Button>
          <Button size="small" ghost icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={toggleFull} aria-label={full ? tx('cmd.exitFullscreen') : tx('cmd.fullscreen')} />
        </div>
      </header>

      {ind.error !== null && ind.error !== undefined && (
        <div className="cmd-error">
          <ErrorNotice error={ind.error} onRetry={() => goTo(null)} compact />
        </div>
      )}

      <div className="cmd-body">
        <aside className="cmd-col cmd-left">
          <section className="cmd-panel" aria-labelledby="cmd-ind">
            <h2 id="cmd-ind" className="cmd-panel-title">
              {tx('cmd.indicators')}
            </h2>
            <div className="cmd-tiles">{page?.area.indicators.map((r) => <Tile key={r.key} r={r} tx={tx} name={indicatorName(lang, r.key, r.name)} />)}</div>
          </section>
          {ranked.length > 0 && (
            <section className="cmd-panel cmd-grow" aria-labelledby="cmd-children">
              <h2 id="cmd-children" className="cmd-panel-title">
                {tx('cmd.children', { level: ranked[0]!.unit.levelLabel })} · {measureName(measure)}
              </h2>
              <ol className="cmd-rank">
                {ranked.map((u) => {
                  const r = reading(u, measure);
                  return (
                    <li key={u.unit.code}>
                      <button type="button" className="cmd-link cmd-rank-row" onClick={() => goTo(u.unit.code)}>
                        <i className={`cmd-dot cmd-${r?.colour ?? 'none'}`} aria-hidden="true" />
                        <span className="cmd-rank-name">{u.unit.name}</span>
                        <span className="cmd-rank-value">{r ? `${formatReading(r)}${r.value === null ? '' : r.unitLabel}` : '—'}</span>
                      </button>
                    </li>
                  );
                })}
              </ol>
            </section>
          )}
        </aside>

        <main className="cmd-centre">
          <section className="cmd-panel cmd-map" aria-labelledby="cmd-map-title">
            <div className="cmd-panel-head">
              <h2 id="cmd-map-title" className="cmd-panel-title">
                {tx('cmd.map')} <span className="cmd-hint">{tx('cmd.drillHint')}</span>
              </h2>
              <Segmented size="small" className="cmd-seg" aria-label={tx('cmd.mapMeasure')} value={measure} onChange={(v) => setMeasure(v as (typeof mapMeasures)[number])} options={mapMeasures.map((k) => ({ value: k, label: measureName(k) }))} />
            </div>
            {shapeError ? (
              <ErrorNotice error={shapeError} compact />
            ) : mapOption ? (
              <ReactEChartsCore echarts={echarts} option={mapOption} notMerge className="cmd-chart" style={{ height: '100%', minHeight: 420 }} onEvents={{ click: onMapClick }} />
            ) : (
              <div className="cmd-chart cmd-loading" role="status">
                …
              </div>
            )}
            {mapOption && !mapOption.placed && <div className="cmd-map-note">{tx('cmd.noPoints')}</div>}
            <div className="cmd-legend">
              {(['green', 'yellow', 'red'] as const).map((c) => (
                <span key={c}>
                  <i className={`cmd-dot cmd-${c}`} />
                  {tx(`cmd.colour.${c}`)}
                </span>
              ))}
              <span>
                <i className="cmd-dot" style={{ background: '#37d4ff' }} />
                {tx('cmd.legend.orders')} {(mapData.data?.streets ?? []).reduce((n, x) => n + x.open, 0) || (mapData.data?.orders.length ?? 0)}
              </span>
              <span>
                <i className="cmd-dot" style={{ background: '#f0524f' }} />
                {tx('cmd.legend.overdue')}
              </span>
              <span>
                <i className="cmd-dot cmd-pulse" style={{ background: '#ff3b3b' }} />
                {tx('cmd.legend.alarms')} {alarms.length}
              </span>
              <span>
                <i className="cmd-tri" />
                {tx('cmd.legend.patrols')} {patrols.length}
              </span>
              {(mapData.data?.gridCells.length ?? 0) > 0 && (
                <span>
                  <AimOutlined /> {tx('cmd.legend.grids')} {mapData.data?.gridCells.length}
                </span>
              )}
            </div>
          </section>
        </main>

        <aside className="cmd-col cmd-right">
          <section className="cmd-panel cmd-grow" aria-labelledby="cmd-alarms">
            <h2 id="cmd-alarms" className="cmd-panel-title">
              {tx('cmd.alarms')} <span className="cmd-count">{alarms.length}</span>
            </h2>
            <ul className="cmd-feed">
              {alarms.length === 0 && <li className="cmd-empty">{tx('cmd.noAlarms')}</li>}
              {alarms.slice(0, 30).map((a) => (
                <li key={a.id} className="cmd-feed-item">
                  <Tag color={severityHex[a.severity] ?? 'orange'} className="cmd-sev">
                    {a.severityLabel}
                  </Tag>
                  <div className="cmd-feed-main">
                    <span className="cmd-feed-title">{a.title}</span>
                    <span className="cmd-feed-meta">
                      {a.no} · {time(a.raisedAt)}
                    </span>
                  </div>
                  {a.orderNo ? (
                    <span className="cmd-feed-meta">{tx('cmd.hasOrder', { no: a.orderNo })}</span>
                  ) : (
                    <Popconfirm title={tx('cmd.toOrderConfirm', { no: a.no })} onConfirm={() => void alarmToOrder(a)}>
                      <Button size="small" type="primary" danger icon={<SendOutlined />} className="cmd-act">
                        {tx('cmd.toOrder')}
                      </Button>
                    </Popconfirm>
                  )}
                </li>
              ))}
            </ul>
          </section>
          <section className="cmd-panel" aria-labelledby="cmd-cleared">
            <h2 id="cmd-cleared" className="cmd-panel-title">
              {tx('cmd.cleared')}
            </h2>
            <ul className="cmd-feed cmd-feed-short">
              {recentlyCleared.length === 0 && <li className="cmd-empty">{tx('cmd.noCleared')}</li>}
              {recentlyCleared.map((a) => (
                <li key={a.id} className="cmd-feed-item" data-auto={a.clearance?.auto ? 'true' : 'false'}>
                  <Tag color={a.clearance?.auto ? 'green' : 'default'} className="cmd-sev">
                    {tx(a.clearance?.auto ? 'cmd.autoCleared' : 'cmd.manualCleared')}
                  </Tag>
                  <div className="cmd-feed-main">
                    <span className="cmd-feed-title">{a.title}</span>
                    <span className="cmd-feed-meta">
                      {a.no}
                      {a.clearedAt ? ` · ${time(a.clearedAt)}` : ''}
                      {a.clearance && !a.clearance.auto && a.clearance.by ? ` · ${a.clearance.by}` : ''}
                    </span>
                    {a.clearance?.reason && <span className="cmd-feed-meta cmd-reason">{a.clearance.reason}</span>}
                  </div>
                </li>
              ))}
            </ul>
          </section>
          {canDispatch && (
            <section className="cmd-panel" aria-labelledby="cmd-review">
              <h2 id="cmd-review" className="cmd-panel-title">
                {tx('cmd.review')} <span className="cmd-count">{review.data?.items.length ?? 0}</span>
              </h2>
              <ul className="cmd-feed">
                {(review.data?.items.length ?? 0) === 0 && <li className="cmd-empty">{tx('cmd.noReview')}</li>}
                {review.data?.items.map((o) => <ReviewItem key={o.id} order={o} tx={tx} onDone={reloadAll} />)}
              </ul>
            </section>
          )}
          <section className="cmd-panel cmd-grow" aria-labelledby="cmd-orders">
            <h2 id="cmd-orders" className="cmd-panel-title">
              {tx('cmd.orders')}
            </h2>
            <ul className="cmd-feed">
              {(recent.data?.items.length ?? 0) === 0 && <li className="cmd-empty">{tx('cmd.noOrders')}</li>}
              {recent.data?.items.map((o) => (
                <li key={o.id} className={`cmd-feed-item ${o.overdue ? 'cmd-overdue' : ''}`}>
                  <div className="cmd-feed-main">
                    <span className="cmd-feed-title">{o.title}</span>
                    <span className="cmd-feed-meta">
                      {o.no} · {o.street?.name ?? o.district?.name ?? '—'} · {time(o.acceptedAt)}
                    </span>
                  </div>
                  <span className="cmd-state">{o.state === 'pending_review' ? tx('cmd.pendingReview') : (o.leadUnit?.name ?? '')}</span>
                </li>
              ))}
            </ul>
          </section>
          <section className="cmd-panel" aria-labelledby="cmd-patrols">
            <h2 id="cmd-patrols" className="cmd-panel-title">
              {tx('cmd.patrols')}
            </h2>
            <ul className="cmd-feed cmd-feed-short">
              {patrols.length === 0 && <li className="cmd-empty">{tx('cmd.noPatrols')}</li>}
              {patrols.slice(0, 6).map((p) => (
                <li key={p.id} className="cmd-feed-item">
                  <div className="cmd-feed-main">
                    <span className="cmd-feed-title">{p.description}</span>
                    <span className="cmd-feed-meta">
                      {p.reporter} · {p.address ?? ''} · {time(p.at)}
                      {p.orderNo ? ` · ${p.orderNo}` : ''}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </div>
  );
}
