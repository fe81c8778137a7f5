import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import { Link } from 'react-router';

export type Crumb = { title: ReactNode; to?: string };

/** Ant Design Pro-style page header: breadcrumb, title with tags, main actions on the right. */
export function PageHeader(props: { title: ReactNode; breadcrumb?: Crumb[]; tags?: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="kw-page-header">
      {props.breadcrumb && props.breadcrumb.length > 0 && (
        <Breadcrumb items={props.breadcrumb.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title }))} style={{ marginBottom: 8 }} />
      )}
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Flex align="center" gap={8} wrap style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }} ellipsis>
            {props.title}
          </Typography.Title>
          {props.tags}
        </Flex>
        {props.extra && (
          <Flex gap={8} wrap>
            {props.extra}
          </Flex>
        )}
      </Flex>
      {props.sub && <div style={{ marginTop: 8 }}>{props.sub}</div>}
    </div>
  );
}
