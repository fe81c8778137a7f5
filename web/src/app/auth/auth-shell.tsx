import type { ReactNode } from 'react';
import { Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../layout/user-menu';

/** The frame of every page outside the signed-in layout (sign-in, setup, invitation, reset): logo, title, language switch. */
export function AuthShell({ title, subtitle, children, wide }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className="kw-login">
      <div className="kw-login-card" style={wide ? { maxWidth: 600 } : undefined}>
        <Flex justify="flex-end" style={{ marginBottom: 8 }}>
          <LanguageSwitch />
        </Flex>
        <Card>
          <Flex vertical align="center" style={{ marginBottom: 24 }}>
            <span className="kw-logo-mark" style={{ width: 44, height: 44, fontSize: 22, color: '#fff', marginBottom: 12 }}>
              K
            </span>
            <Typography.Title level={3} style={{ margin: 0, textAlign: 'center' }}>
              {title}
            </Typography.Title>
            {subtitle && (
              <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
                {subtitle}
              </Typography.Text>
            )}
          </Flex>
          {children}
        </Card>
      </div>
    </div>
  );
}

/** The server's rule (platform/passwords.ts): at least 10 characters, letters and digits. */
export const isStrongPassword = (pw: string) => pw.length >= 10 && pw.length <= 200 && /[A-Za-z]/.test(pw) && /\d/.test(pw);

/** A new password and its repetition, with the rule said up front and checked before sending. */
export function NewPasswordFields({
  name = 'password',
  label,
  testId = 'new-password',
}: {
  name?: string | (string | number)[];
  label: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const strong: Rule = {
    validator: (_, v: string | undefined) => (!v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('identity.password.weak')))),
  };
  return (
    <>
      <Form.Item name={name} label={label} extra={t('identity.password.rule')} rules={[{ required: true, message: t('common.required') }, strong]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={200} data-testid={testId} />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('identity.password.confirm')}
        dependencies={[name]}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue(name) ? Promise.resolve() : Promise.reject(new Error(t('identity.password.mismatch')))),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={200} data-testid={`${testId}-confirm`} />
      </Form.Item>
    </>
  );
}
