/** The map inside the pick dialog: Beijing's districts (no tiles exist offline), a click marks the point. Loaded lazily. */
import { useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useApi } from '../api/hooks';
import { errorText } from '../api/client';
import { useT } from '../i18n';
import type { Coords } from './Locate';

echarts.use([ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer]);

type Shapes = { type: 'FeatureCollection'; features: unknown[] };

/** Rounds to about a metre: more digits would only pretend to a precision a click on a city map does not have. */
const round = (x: number) => Math.round(x * 1e5) / 1e5;

export default function MapPickCanvas({ value, onPick }: { value: Coords | null; onPick: (c: Coords) => void }) {
  const { t } = useT();
  const geo = useApi<Shapes>('/geo/districts');
  const [ready, setReady] = useState(() => Boolean(echarts.getMap('beijing')));
  const chartRef = useRef<ReactEChartsCore | null>(null);

  useEffect(() => {
    if (geo.data && !echarts.getMap('beijing')) {
      echarts.registerMap('beijing', geo.data as unknown as Parameters<typeof echarts.registerMap>[1]);
    }
    if (geo.data) setReady(true);
  }, [geo.data]);

  // A click anywhere on the map (not only on a district) becomes coordinates. A React handler on the wrapper, read at
  // click time: zrender's own click is swallowed by the roam (pan) controller, and a listener attached in an effect
  // can miss a click that comes before it.
  const onClick = (e: ReactMouseEvent<HTMLDivElement>) => {
    const chart = chartRef.current?.getEchartsInstance();
    if (!chart) return;
    const rect = chart.getDom().getBoundingClientRect();
    const point = chart.convertFromPixel({ geoIndex: 0 }, [e.clientX - rect.left, e.clientY - rect.top]) as number[] | undefined;
    const [lng, lat] = point ?? [];
    if (typeof lng === 'number' && typeof lat === 'number' && Number.isFinite(lng) && Number.isFinite(lat)) onPick({ lat: round(lat), lng: round(lng) });
  };

  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: (p: { name?: string }) => p.name ?? '' },
      geo: {
        map: 'beijing',
        roam: true,
        scaleLimit: { min: 1, max: 40 },
        label: { show: true, fontSize: 11, color: '#555' },
        itemStyle: { areaColor: '#eef4fb', borderColor: '#7a9cc6' },
        emphasis: { itemStyle: { areaColor: '#d6e6f8' }, label: { show: true } },
        ...(value ? { center: [value.lng, value.lat] } : {}),
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbol: 'pin',
          symbolSize: 36,
          itemStyle: { color: '#d4380d' },
          data: value ? [{ name: t('place.picked'), value: [value.lng, value.lat] }] : [],
        },
      ],
    }),
    [value, t],
  );

  if (geo.error) return <div role="alert">{errorText(geo.error)}</div>;
  if (!ready) return <div className="map-pick-canvas muted">{t('state.loading')}</div>;
  return (
    // A pointer-only control: the coordinates can also be typed as an address, which the locator resolves.
    <div onClick={onClick}>
      <ReactEChartsCore ref={chartRef} echarts={echarts} option={option} className="map-pick-canvas" style={{ height: 420 }} notMerge={false} aria-label={t('place.pickTitle')} />
    </div>
  );
}
