/** Routes: the login page, and one lazily loaded workspace per role (a citizen's phone never loads the admin). */
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { PageLoading, Shell } from './shell/Shell';
import { getToken } from './api/client';
import { workspaceAt, workspaceOf, type WorkspaceId } from './workspaces/registry';

const loaders = {
  agent: () => import('./workspaces/agent/AgentConsole'),
  dispatch: () => import('./workspaces/dispatch/DispatchCentre'),
  unit: () => import('./workspaces/unit/UnitWorkbench'),
  grid: () => import('./workspaces/grid/GridWorker'),
  citizen: () => import('./workspaces/citizen/CitizenPortal'),
  leader: () => import('./workspaces/leader/LeaderDashboard'),
  admin: () => import('./workspaces/admin/Admin'),
  command: () => import('./workspaces/command/CommandScreen'),
} satisfies Record<WorkspaceId, () => Promise<unknown>>;

// Opening a workspace's address directly: fetch its code while the session is being checked, not after.
const opening = workspaceAt(window.location.pathname);
if (opening && getToken()) void loaders[opening.id]();

const AgentConsole = lazy(loaders.agent);
const DispatchCentre = lazy(loaders.dispatch);
const UnitWorkbench = lazy(loaders.unit);
const GridWorker = lazy(loaders.grid);
const CitizenPortal = lazy(loaders.citizen);
const LeaderDashboard = lazy(loaders.leader);
const Admin = lazy(loaders.admin);
const CommandScreen = lazy(loaders.command);
const Rankings = lazy(() => import('./workspaces/leader/Rankings'));
const Topics = lazy(() => import('./workspaces/leader/Topics'));
const Proactive = lazy(() => import('./workspaces/leader/Proactive'));
const SurveyPage = lazy(() => import('./workspaces/citizen/SurveyPage'));

function Home() {
  const { me, checking } = useSession();
  if (checking) return <PageLoading />;
  return <Navigate to={me ? workspaceOf(me.role).path : '/login'} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/survey/:token" element={<Suspense fallback={<PageLoading />}><SurveyPage /></Suspense>} />
      <Route path="/" element={<Home />} />
      <Route element={<Shell />}>
        <Route path="/agent/*" element={<AgentConsole />} />
        <Route path="/dispatch/*" element={<DispatchCentre />} />
        <Route path="/unit/*" element={<UnitWorkbench />} />
        <Route path="/grid/*" element={<GridWorker />} />
        <Route path="/citizen/*" element={<CitizenPortal />} />
        <Route path="/leader/rankings" element={<Rankings />} />
        <Route path="/leader/topics" element={<Topics />} />
        <Route path="/leader/proactive" element={<Proactive />} />
        <Route path="/leader/*" element={<LeaderDashboard />} />
        <Route path="/admin/*" element={<Admin />} />
        <Route path="/command/*" element={<CommandScreen />} />
      </Route>
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
