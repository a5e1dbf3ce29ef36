import type { Role } from './roles.js';
import type { UnitLevel } from './jurisdiction.js';

/** Who is acting: resolved once per request from the bearer token, passed to every use-case. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  role: Role;
  unitId: string | null;
  unitName: string | null;
  unitLevel: UnitLevel | null;
  /** Materialised path of the unit subtree this actor may see and change; null for citizens. */
  scopePath: string | null;
};
