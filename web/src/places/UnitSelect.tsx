/** Pick a unit by typing part of its name (`/units?q=`), or a district → street → community in cascade. */
import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { api } from '../api/client';
import { useApi, useDebounced } from '../api/hooks';
import type { Page, Ref, Unit, UnitLevel } from '../api/types';
import { useT } from '../i18n';
import { useUnitName } from './useUnitName';

type UnitSelectProps = {
  id?: string;
  value?: string | string[] | null;
  onChange?: (v: string | string[] | undefined) => void;
  multiple?: boolean;
  /** Units already known by name (from a proposal), so their names show before any search. */
  known?: Ref[];
  levels?: UnitLevel[];
  placeholder?: string;
  allowClear?: boolean;
  'aria-label'?: string;
};

export function UnitSelect({ id, value, onChange, multiple, known = [], levels, placeholder, allowClear = true, ...rest }: UnitSelectProps) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const query = useDebounced(q, 250);
  const [found, setFound] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!query.trim()) return;
    const ctl = new AbortController();
    setLoading(true);
    api<Page<Unit>>('/units', { query: { q: query.trim(), limit: 30 }, signal: ctl.signal }).then(
      (p) => {
        setFound(levels ? p.items.filter((u) => levels.includes(u.level)) : p.items);
        setLoading(false);
      },
      () => setLoading(false),
    );
    return () => ctl.abort();
  }, [query, levels]);
  const options = useMemo(() => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const u of known) if (!seen.has(u.code)) (seen.add(u.code), out.push({ value: u.code, label: u.name }));
    for (const u of found) if (!seen.has(u.code)) (seen.add(u.code), out.push({ value: u.code, label: `${u.name}（${t(`level.${u.level}`)}）` }));
    return out;
  }, [known, found, t]);
  return (
    <Select
      {...(id ? { id } : {})}
      aria-label={rest['aria-label']}
      showSearch={{ filterOption: false, onSearch: setQ }}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={options}
      loading={loading}
      allowClear={allowClear}
      placeholder={placeholder ?? t('unit.searchPlaceholder')}
      notFoundContent={query ? t('unit.noMatch') : t('unit.typeToSearch')}
      style={{ width: '100%' }}
    />
  );
}

export type Place = { districtCode?: string | undefined; streetCode?: string | undefined; communityCode?: string | undefined };

const placeLevels: UnitLevel[] = ['district', 'street', 'community'];

/** A district, street or community from its path: `/110000/110105/110105026/…` → the codes of each level. */
export function placeOf(u: Pick<Unit, 'path' | 'level'>): Place {
  const [, district, street, community] = u.path.split('/').filter(Boolean);
  return {
    districtCode: district,
    streetCode: u.level === 'street' || u.level === 'community' ? street : undefined,
    communityCode: u.level === 'community' ? community : undefined,
  };
}

/** `望京西园三区社区居委会 · 朝阳区 望京街道`: a search hit with where it lies (names looked up once per page). */
function PlaceHit({ u }: { u: Unit }) {
  const { t } = useT();
  const p = placeOf(u);
  const district = useUnitName(u.level === 'district' ? null : p.districtCode);
  const street = useUnitName(u.level === 'community' ? p.streetCode : null);
  return (
    <span className="place-hit">
      <span>{u.name}</span>
      <span className="muted small">
        {' '}
        {t(`level.${u.level}`)}
        {district ? ` · ${district}` : ''}
        {street ? ` ${street}` : ''}
      </span>
    </span>
  );
}

/** One box for every level: type part of a district's, street's or community's name and pick it. */
export function PlaceSearch({ onPick }: { onPick: (p: Place) => void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const [found, setFound] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!query) {
      setFound([]);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    api<Page<Unit>>('/units', { query: { q: query, limit: 50 }, signal: ctl.signal }).then(
      (p) => {
        setFound(p.items.filter((u) => placeLevels.includes(u.level)).slice(0, 20));
        setLoading(false);
      },
      () => setLoading(false),
    );
    return () => ctl.abort();
  }, [query]);
  return (
    <Select
      aria-label={t('place.search')}
      placeholder={t('place.search')}
      showSearch={{ filterOption: false, onSearch: setQ, searchValue: q }}
      value={null}
      onChange={(code: string) => {
        const u = found.find((x) => x.code === code);
        if (u) onPick(placeOf(u));
        setQ('');
      }}
      options={found.map((u) => ({ value: u.code, label: <PlaceHit u={u} /> }))}
      loading={loading}
      notFoundContent={query ? (loading ? t('state.loading') : t('place.noMatch')) : t('place.typeToSearch')}
      className="place-search"
      style={{ width: '100%' }}
    />
  );
}

/** District → street → community, each a searchable select loaded from the one above; or one search over all three. */
export function PlacePicker({ value, onChange, compact }: { value: Place; onChange: (p: Place) => void; compact?: boolean }) {
  const { t } = useT();
  const districts = useApi<Page<Unit>>('/units?level=district&limit=50');
  const streets = useApi<Page<Unit>>(value.districtCode ? `/units?parent=${value.districtCode}&level=street&limit=500` : null);
  const communities = useApi<Page<Unit>>(value.streetCode ? `/units?parent=${value.streetCode}&level=community&limit=500` : null);
  const opts = (p: Page<Unit> | undefined) => (p?.items ?? []).map((u) => ({ value: u.code, label: u.name }));
  const search = { optionFilterProp: 'label' };
  return (
    <div className={`place-picker ${compact ? 'compact' : ''}`}>
      <PlaceSearch onPick={onChange} />
      <Select
        aria-label={t('place.district')}
        placeholder={t('place.district')}
        showSearch={search}
        allowClear
        loading={districts.loading}
        value={value.districtCode}
        options={opts(districts.data)}
        onChange={(v?: string) => onChange({ districtCode: v, streetCode: undefined, communityCode: undefined })}
      />
      <Select
        aria-label={t('place.street')}
        placeholder={t('place.street')}
        showSearch={search}
        allowClear
        disabled={!value.districtCode}
        loading={streets.loading}
        value={value.streetCode}
        options={opts(streets.data)}
        onChange={(v?: string) => onChange({ ...value, streetCode: v, communityCode: undefined })}
      />
      <Select
        aria-label={t('place.community')}
        placeholder={t('place.community')}
        showSearch={search}
        allowClear
        disabled={!value.streetCode}
        loading={communities.loading}
        value={value.communityCode}
        options={opts(communities.data)}
        onChange={(v?: string) => onChange({ ...value, communityCode: v })}
      />
    </div>
  );
}
