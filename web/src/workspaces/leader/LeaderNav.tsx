/** The leader's pages: the dashboard (驾驶舱), the three-rate ranking (考核排名), 每月一题 and 未诉先办. */
import { Segmented } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';
import { assessmentText } from './assessmentText';
import { topicsText } from './TopicsText';

export function LeaderNav() {
  const { lang } = useT();
  const tx = assessmentText(lang);
  const navigate = useNavigate();
  const path = useLocation().pathname;
  const at = ['/leader/rankings', '/leader/topics', '/leader/proactive'].find((p) => path.startsWith(p)) ?? '/leader';
  const tt = topicsText(lang);
  return (
    <Segmented
      aria-label={tx('nav.rankings')}
      value={at}
      onChange={(v) => void navigate(String(v))}
      options={[
        { value: '/leader', label: tx('nav.dashboard') },
        { value: '/leader/rankings', label: tx('nav.rankings') },
        { value: '/leader/topics', label: tt('nav.topics') },
        { value: '/leader/proactive', label: tt('nav.proactive') },
      ]}
    />
  );
}
