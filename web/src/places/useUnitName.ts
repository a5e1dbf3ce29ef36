/** A unit's name from its code, looked up once per page (`/units/:code`); history events carry only codes. */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Unit } from '../api/types';

const names = new Map<string, Promise<string | null>>();

export function useUnitName(code: string | null | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!code) return;
    let live = true;
    if (!names.has(code)) names.set(code, api<Unit>(`/units/${encodeURIComponent(code)}`).then((u) => u.name, () => null));
    void names.get(code)!.then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [code]);
  return code ? name : null;
}
