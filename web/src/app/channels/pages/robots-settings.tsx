import { useTranslation } from 'react-i18next';
import { Forbidden } from '../../components/states';
import { useCan } from '../../session';
import { SettingsPage } from '../../settings/pages/settings-page';
import { RobotsPanel } from '../components/robots-panel';

/** 设置 › IM 机器人: the workspace's WeCom / DingTalk / Feishu group robots (admins). */
export function RobotsSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('channels.manage')) return <Forbidden />;
  return (
    <SettingsPage title={t('ch.title')}>
      <RobotsPanel accountId={null} />
    </SettingsPage>
  );
}
