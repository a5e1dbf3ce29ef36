/** 管理: units, users, categories, deadline policies, knowledge base, alert models, audit log. */
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Menu, Select } from 'antd';
import { AlertOutlined, ApartmentOutlined, ApiOutlined, AuditOutlined, CloudUploadOutlined, BookOutlined, ClockCircleOutlined, TagsOutlined, TeamOutlined } from '@ant-design/icons';
import { useIsPhone } from '../../api/hooks';
import { useT } from '../../i18n';
import { AlertModels } from './AlertModels';
import { AuditLog } from './AuditLog';
import { BulkImport } from './BulkImport';
import { CategoryEditor } from './CategoryEditor';
import { Integrations } from './Integrations';
import { KnowledgeEditor } from './KnowledgeEditor';
import { Policies } from './Policies';
import { UnitsBrowser } from './UnitsBrowser';
import { Users } from './Users';

const sections = [
  { key: 'units', icon: <ApartmentOutlined />, label: 'admin.units' },
  { key: 'users', icon: <TeamOutlined />, label: 'admin.users' },
  { key: 'categories', icon: <TagsOutlined />, label: 'admin.categories' },
  { key: 'policies', icon: <ClockCircleOutlined />, label: 'admin.policies' },
  { key: 'knowledge', icon: <BookOutlined />, label: 'admin.knowledge' },
  { key: 'alert-models', icon: <AlertOutlined />, label: 'admin.alertModels' },
  { key: 'integrations', icon: <ApiOutlined />, label: 'admin.integrations' },
  { key: 'bulk', icon: <CloudUploadOutlined />, label: 'admin.bulk' },
  { key: 'audit', icon: <AuditOutlined />, label: 'admin.audit' },
] as const;

export default function Admin() {
  const { t } = useT();
  const phone = useIsPhone();
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'units';
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t('admin.nav')}>
        {phone ? (
          <Select
            aria-label={t('admin.nav')}
            value={current}
            onChange={(k: string) => void navigate(`/admin/${k}`)}
            options={sections.map((s) => ({ value: s.key, label: t(s.label) }))}
            style={{ width: '100%' }}
          />
        ) : (
          <Menu mode="inline" selectedKeys={[current]} onClick={({ key }) => void navigate(`/admin/${key}`)} items={sections.map((s) => ({ key: s.key, icon: s.icon, label: t(s.label) }))} />
        )}
      </nav>
      <div className="admin-main">
        <Routes>
          <Route index element={<Navigate to="units" replace />} />
          <Route path="units" element={<UnitsBrowser />} />
          <Route path="users" element={<Users />} />
          <Route path="categories" element={<CategoryEditor />} />
          <Route path="policies" element={<Policies />} />
          <Route path="knowledge" element={<KnowledgeEditor />} />
          <Route path="alert-models" element={<AlertModels />} />
          <Route path="integrations" element={<Integrations />} />
          <Route path="bulk" element={<BulkImport />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="*" element={<Navigate to="/admin/units" replace />} />
        </Routes>
      </div>
    </div>
  );
}
