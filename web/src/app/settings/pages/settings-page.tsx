import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';

/** Every settings page: breadcrumb 设置 › page, title, main actions on the right, content in a card. */
export function SettingsPage({ title, extra, children, card = true }: { title: string; extra?: ReactNode; children: ReactNode; card?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={title} breadcrumb={[{ title: t('menu.settings') }, { title }]} extra={extra} />
      <div className="kw-content">{card ? <div className="kw-card">{children}</div> : children}</div>
    </>
  );
}
