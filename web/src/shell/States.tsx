/** Loading, empty, error and "not offered yet" states, the same everywhere. */
import type { ReactNode } from 'react';
import { Alert, Button, Empty, Spin } from 'antd';
import { ApiError, errorText } from '../api/client';
import { useT } from '../i18n';

export function ErrorNotice({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useT();
  if (error instanceof ApiError && error.notAvailable) {
    if (compact) return <Alert type="info" showIcon title={t('state.notAvailable')} description={t('state.notAvailableHint')} />;
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <span>
            <b>{t('state.notAvailable')}</b>
            <br />
            <span className="muted">{t('state.notAvailableHint')}</span>
          </span>
        }
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={compact ? errorText(error) : t('state.loadFailed')}
      description={compact ? undefined : errorText(error)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('btn.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

type LoadStateProps = {
  loading: boolean;
  error: unknown;
  /** Nothing to show: say what to do instead. */
  empty?: boolean;
  emptyText?: ReactNode;
  emptyAction?: ReactNode;
  onRetry?: () => void;
  children?: ReactNode;
  hasData?: boolean;
};

export function LoadState({ loading, error, empty, emptyText, emptyAction, onRetry, children, hasData }: LoadStateProps) {
  const { t } = useT();
  if (error && !hasData) return <ErrorNotice error={error} {...(onRetry ? { onRetry } : {})} />;
  if (loading && !hasData)
    return (
      <div className="centered" role="status" aria-live="polite">
        <Spin />
        <span className="muted">{t('state.loading')}</span>
      </div>
    );
  if (empty)
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText ?? t('state.empty')}>
        {emptyAction}
      </Empty>
    );
  return <>{children}</>;
}
