/** The leader's two pages: the dashboard (驾驶舱) and the three-rate ranking (考核排名). */
import { Segmented } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';
import { assessmentText } from './assessmentText';

export function LeaderNav() {
  const { lang } = useT();
  const tx = assessmentText(lang);
  const navigate = useNavigate();
  const at = useLocation().pathname.startsWith('/leader/rankings') ? '/leader/rankings' : '/leader';
  return (
    <Segmented
      aria-label={tx('nav.rankings')}
      value={at}
      onChange={(v) => void navigate(String(v))}
      options={[
        { value: '/leader', label: tx('nav.dashboard') },
        { value: '/leader/rankings', label: tx('nav.rankings') },
      ]}
    />
  );
}
