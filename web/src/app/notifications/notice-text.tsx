import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../format';
import type { Notice } from './api';

/** One notice in words (never its kind code), linking to its record. */
export function NoticeText({ n, onOpen }: { n: Notice; onOpen?: (n: Notice) => void }) {
  const { t } = useTranslation();
  const p = n.params;
  const text = t(`nt.text.${n.kind}`, {
    title: n.title,
    number: p.number ?? '',
    accountName: p.accountName ?? '',
  });
  return (
    <span>
      {n.urgent && (
        <Tag color="red" style={{ marginInlineEnd: 6 }}>
          {t('nt.urgent')}
        </Tag>
      )}
      <Link to={n.link} onClick={() => onOpen?.(n)} data-testid="notice-link" style={{ fontWeight: n.readAt ? 400 : 600 }}>
        {text}
      </Link>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {t(`nt.kinds.${n.kind}`)} · {formatDateTime(n.createdAt)}
      </Typography.Text>
    </span>
  );
}
