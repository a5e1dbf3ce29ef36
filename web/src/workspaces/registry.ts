/** The workspaces, who may open each, and where each role lands after signing in. */
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n/zh';

export type WorkspaceId = 'agent' | 'dispatch' | 'unit' | 'grid' | 'citizen' | 'leader' | 'admin' | 'command';

export type Workspace = { id: WorkspaceId; path: string; roles: readonly Role[]; title: MessageKey };

export const workspaces: readonly Workspace[] = [
  { id: 'agent', path: '/agent', roles: ['agent'], title: 'ws.agent' },
  { id: 'dispatch', path: '/dispatch', roles: ['dispatcher', 'supervisor'], title: 'ws.dispatch' },
  { id: 'unit', path: '/unit', roles: ['handler'], title: 'ws.unit' },
  { id: 'grid', path: '/grid', roles: ['grid_worker'], title: 'ws.grid' },
  { id: 'citizen', path: '/citizen', roles: ['citizen'], title: 'ws.citizen' },
  // Supervisors land in 派单中心 (listed first) and open the leader's pages — 考核排名, 每月一题, 未诉先办 — from the switcher.
  { id: 'leader', path: '/leader', roles: ['leader', 'supervisor'], title: 'ws.leader' },
  { id: 'admin', path: '/admin', roles: ['admin'], title: 'ws.admin' },
  // 指挥大屏: opened from a link or directly; listed last so no role lands here after signing in.
  { id: 'command', path: '/command', roles: ['supervisor', 'leader', 'dispatcher'], title: 'ws.command' },
];

export function workspaceOf(role: Role): Workspace {
  return workspaces.find((w) => w.roles.includes(role)) ?? workspaces[0]!;
}

export function workspaceAt(pathname: string): Workspace | undefined {
  return workspaces.find((w) => pathname === w.path || pathname.startsWith(`${w.path}/`));
}
