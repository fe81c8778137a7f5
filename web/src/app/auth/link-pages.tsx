import { useState } from 'react';
import { Alert, Button, Form, Input, Result } from 'antd';
import { MailOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import { applyLocale } from '../session';
import { AuthShell, NewPasswordFields } from './auth-shell';
import { useForgotPassword, useRedeemLink } from './api';

type LinkProblem = 'missing' | 'expired' | 'invalid';

/** The token's problem the server named (field `token`: missing, used, expired, inactive), if any. */
function linkProblem(e: unknown): LinkProblem | null {
  if (!(e instanceof ApiError)) return null;
  const f = e.fields.find((x) => x.field === 'token');
  if (!f) return null;
  return /expired|过期/.test(f.message) ? 'expired' : 'invalid';
}

/** A link that cannot be used: say so, and what to do next (ask for a new invitation, or a new reset link). */
function LinkResult({ purpose, problem, detail }: { purpose: 'invite' | 'reset'; problem: LinkProblem; detail?: string }) {
  const { t } = useTranslation();
  const title = problem === 'missing' ? t('identity.link.missing') : problem === 'expired' ? t('identity.link.expired') : t('identity.link.invalid');
  const next =
    problem === 'missing' ? t('identity.link.missingHint') : purpose === 'invite' ? t('identity.link.inviteNext') : t('identity.link.resetNext');
  return (
    <Result
      status="warning"
      title={title}
      subTitle={
        <>
          {detail && <div>{detail}</div>}
          <div>{next}</div>
        </>
      }
      extra={[
        purpose === 'reset' && (
          <Link key="forgot" to="/forgot-password">
            <Button type="primary">{t('identity.link.requestNew')}</Button>
          </Link>
        ),
        <Link key="login" to="/login">
          <Button>{t('identity.link.toLogin')}</Button>
        </Link>,
      ]}
      data-testid="link-result"
    />
  );
}

/**
 * `/accept-invite?token=` and `/reset-password?token=`: choose a password (twice), then the person is
 * signed in and lands on the workbench. An expired or used link shows what to do next.
 */
export function RedeemLinkPage({ purpose }: { purpose: 'invite' | 'reset' }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token')?.trim() ?? '';
  const redeem = useRedeemLink(purpose);
  const [form] = Form.useForm<{ password: string; confirmPassword: string }>();
  const [problem, setProblem] = useState<{ kind: LinkProblem; detail?: string } | null>(token.length < 10 ? { kind: 'missing' } : null);
  const [error, setError] = useState<string | null>(null);
  const title = purpose === 'invite' ? t('identity.invite.title') : t('identity.reset.title');

  const submit = async (v: { password: string }) => {
    setError(null);
    try {
      const me = await redeem.mutateAsync({ token, password: v.password });
      applyLocale(me.locale);
      navigate('/workbench', { replace: true });
    } catch (e) {
      const p = linkProblem(e);
      if (p) return setProblem({ kind: p, detail: errorMessage(e) });
      if (e instanceof ApiError && e.fields.some((f) => f.field === 'password')) {
        form.setFields([{ name: 'password', errors: [errorMessage(e)] }]);
        return;
      }
      setError(errorMessage(e));
    }
  };

  return (
    <AuthShell title={title} subtitle={problem ? undefined : purpose === 'invite' ? t('identity.invite.subtitle') : t('identity.reset.subtitle')}>
      {problem ? (
        <LinkResult purpose={purpose} problem={problem.kind} detail={problem.detail} />
      ) : (
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} data-testid="redeem-form">
          <NewPasswordFields label={t('user.newPassword')} />
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="redeem-error" />}
          <Button type="primary" htmlType="submit" block size="large" loading={redeem.isPending} data-testid="redeem-submit">
            {purpose === 'invite' ? t('identity.invite.submit') : t('identity.reset.submit')}
          </Button>
        </Form>
      )}
    </AuthShell>
  );
}

/** `/forgot-password`: asks for the address and always answers the same (nobody learns who has an account). */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const forgot = useForgotPassword();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { email: string }) => {
    setError(null);
    try {
      await forgot.mutateAsync(v.email.trim());
      setSent(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <AuthShell title={t('identity.forgot.title')} subtitle={sent ? undefined : t('identity.forgot.subtitle')}>
      {sent ? (
        <Result
          status="success"
          title={t('identity.forgot.sentTitle')}
          subTitle={t('identity.forgot.sent')}
          extra={
            <Link to="/login">
              <Button type="primary">{t('identity.forgot.back')}</Button>
            </Link>
          }
          data-testid="forgot-sent"
        />
      ) : (
        <Form
          layout="vertical"
          requiredMark={false}
          initialValues={{ email: params.get('email') ?? '' }}
          onFinish={(v) => void submit(v)}
          data-testid="forgot-form"
        >
          <Form.Item name="email" label={t('identity.forgot.email')} rules={[{ required: true, type: 'email', message: t('login.emailRequired') }]}>
            <Input prefix={<MailOutlined />} type="email" autoComplete="username" size="large" maxLength={254} data-testid="forgot-email" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block size="large" loading={forgot.isPending} data-testid="forgot-submit">
            {t('identity.forgot.submit')}
          </Button>
          <div style={{ marginTop: 16, textAlign: 'center' }}>
            <Link to="/login">{t('identity.forgot.back')}</Link>
          </div>
        </Form>
      )}
    </AuthShell>
  );
}
