// One campaign's results (issue 18 point 4), opened from the campaigns list: funnel, growth actions, people.
import { Drawer } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../components/states';
import { useCampaignMeasures, type Drill } from '../measures-api';
import { MeasuresBody, PeopleDrawer } from './measures-charts';

export function CampaignResultsDrawer({ campaign, onClose }: { campaign: { id: string; name: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useCampaignMeasures(campaign?.id ?? null);
  const [drill, setDrill] = useState<Drill | null>(null);
  return (
    <Drawer
      open={!!campaign}
      onClose={onClose}
      width={880}
      title={campaign ? t('om.campaignTitle', { name: campaign.name }) : ''}
      destroyOnHidden
      data-testid="campaign-results"
    >
      {q.isPending ? (
        <LoadingState rows={8} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <MeasuresBody data={q.data} onOpen={setDrill} />
      )}
      <PeopleDrawer drill={drill} scope={campaign?.id} onClose={() => setDrill(null)} />
    </Drawer>
  );
}
