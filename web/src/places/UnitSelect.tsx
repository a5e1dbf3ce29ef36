/** Pick a unit by typing part of its name (`/units?q=`), or a district → street → community in cascade. */
import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { api } from '../api/client';
import { useApi, useDebounced } from '../api/hooks';
import type { Page, Ref, Unit, UnitLevel } from '../api/types';
import { useT } from '../i18n';

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

/** District → street → community, each a searchable select loaded from the one above. */
export function PlacePicker({ value, onChange, compact }: { value: Place; onChange: (p: Place) => void; compact?: boolean }) {
  const { t } = useT();
  const districts = useApi<Page<Unit>>('/units?level=district&limit=50');
  const streets = useApi<Page<Unit>>(value.districtCode ? `/units?parent=${value.districtCode}&level=street&limit=500` : null);
  const communities = useApi<Page<Unit>>(value.streetCode ? `/units?parent=${value.streetCode}&level=community&limit=500` : null);
  const opts = (p: Page<Unit> | undefined) => (p?.items ?? []).map((u) => ({ value: u.code, label: u.name }));
  const search = { optionFilterProp: 'label' };
  return (
    <div className={`place-picker ${compact ? 'compact' : ''}`}>
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
