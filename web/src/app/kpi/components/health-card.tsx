import { App, Button, Card, Flex, List, Progress, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowRightOutlined, ArrowUpOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { useHealth, useRecomputeHealth } from '../api';

export const bandColor: Record<string, string> = { green: '#52c41a', amber: '#faad14', red: '#ff4d4f' };

export function TrendArrow({ trend }: { trend: string }) {
  if (trend === 'up') return <ArrowUpOutlined style={{ color: '#52c41a' }} />;
  if (trend === 'down') return <ArrowDownOutlined style={{ color: '#ff4d4f' }} />;
  return <ArrowRightOutlined style={{ color: '#8c8c8c' }} />;
}

/** The 360 overview's health card: score in its band's colour, the trend arrow and the reasons in words. */
export function HealthCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const h = useHealth(accountId);
  const recompute = useRecomputeHealth(accountId);
  const c = h.data?.current;
  return (
    <Card
      size="small"
      title={t('kp.health.title')}
      loading={h.isPending}
      extra={
        <Button
          size="small"
          type="text"
          icon={<ReloadOutlined />}
          aria-label={t('kp.health.recompute')}
          loading={recompute.isPending}
          onClick={() => recompute.mutateAsync(undefined).catch((e) => message.error(errorMessage(e)))}
        />
      }
      data-testid="health-card"
    >
      {!c ? (
        <Typography.Text type="secondary">{t('kp.health.none')}</Typography.Text>
      ) : (
        <>
          <Flex align="center" gap={12}>
            <Progress type="circle" size={64} percent={c.score} format={(p) => p} strokeColor={bandColor[c.band]} />
            <div>
              <Tag color={c.band === 'green' ? 'success' : c.band === 'amber' ? 'warning' : 'error'} data-testid="health-band">
                {t(`kp.band.${c.band}` as 'kp.band.green')}
              </Tag>
              <div>
                <TrendArrow trend={c.trend} /> {t(`kp.trend.${c.trend}` as 'kp.trend.up')}
              </div>
            </div>
          </Flex>
          {c.reasons.length > 0 && (
            <List
              size="small"
              style={{ marginTop: 8 }}
              dataSource={c.reasons.slice(0, 4)}
              renderItem={(r) => <List.Item style={{ padding: '2px 0' }}>· {r[locale]}</List.Item>}
            />
          )}
          {h.data!.followUps.filter((f) => f.status === 'open').length > 0 && (
            <Typography.Text type="warning">
              {t('kp.health.followUps')}: {h.data!.followUps.filter((f) => f.status === 'open').length}
            </Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}
