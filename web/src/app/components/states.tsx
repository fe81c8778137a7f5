import type { ReactNode } from 'react';
import { Button, Empty, Result, Skeleton } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import { PageHeader, type Crumb } from './page-header';

/** An error with the server's words and a way forward. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 403) return <Result status="403" title="403" subTitle={errorMessage(error) || t('result.forbidden')} />;
  if (status === 404)
    return <Result status="404" title="404" subTitle={errorMessage(error)} extra={<Link to="/accounts">{t('result.backHome')}</Link>} />;
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={errorMessage(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function LoadingState({ rows = 6 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} />;
}

export function EmptyState({ text, action }: { text: ReactNode; action?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text}>
      {action}
    </Empty>
  );
}

/** A capability that is not built yet: say so, and point at what works today. */
export function ComingSoon({ what, breadcrumb }: { what: string; breadcrumb?: Crumb[] }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={what} breadcrumb={breadcrumb} />
      <div className="kw-card">
        <Result
          status="info"
          title={t('comingSoon.title')}
          subTitle={t('comingSoon.desc', { what })}
          extra={
            <Link to="/accounts">
              <Button type="primary">{t('comingSoon.goAccounts')}</Button>
            </Link>
          }
        />
      </div>
    </>
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={t('result.forbidden')} extra={<Link to="/accounts">{t('result.backHome')}</Link>} />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('result.notFound')} extra={<Link to="/accounts">{t('result.backHome')}</Link>} />;
}
