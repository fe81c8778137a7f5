import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../session';
import { RobotsPanel } from './robots-panel';

/** On the account page: the IM robots of the account's iron-triangle group (admins and managers). */
export function AccountRobotsCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('channels.account')) return null;
  return (
    <Card title={t('ch.accountTitle')} size="small" data-testid="account-robots">
      <RobotsPanel accountId={accountId} compact />
    </Card>
  );
}
