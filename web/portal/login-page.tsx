import { Button, Checkbox, Form, Input, NavBar, NoticeBar, Selector, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError } from '../shared/api';
import type { PortalLogin } from '../shared/api-models';
import { PortalClinicLogo } from './clinic-logo';
import { logIn, portalErrorMessage, sendCode } from './portal-api';
import { fetchInvite, type Invite, referralCodeOfUrl, registerMember } from './referral-api';
import { referralTexts } from './referral-texts';
import { texts } from './texts';
import './referral.css';

const phonePattern = /^1\d{10}$/;
const codePattern = /^\d{6}$/;

/** Who invited her (`?ref=` in a friend's link): the inviter's masked name, the clinic and what the programme gives. */
const InviteBanner = ({ invite }: { invite: Invite }) => (
  <div className="portal-invite-banner" data-testid="portal-invite-banner">
    <div className="portal-invite-title">{referralTexts.invite.banner(invite.referrerName, invite.clinicName)}</div>
    {invite.lines.map((line) => (
      <div key={line} className="portal-invite-line">
        {line}
      </div>
    ))}
    <div className="portal-invite-note">
      {invite.statements.referrerRewarded}；{invite.statements.noCash}
    </div>
    <div className="portal-invite-note">{referralTexts.invite.code(invite.code)}</div>
  </div>
);

/**
 * Phone + SMS code (SPEC §18): 获取验证码 counts down 60 s (or the server's Retry-After), then 登录.
 * A phone that is not a member yet (or any phone, from a friend's invite link `?ref=`) is asked
 * for her name and registers with the same code; the inviter is recorded as her referrer.
 */
export const LoginPage = ({ clinicCode, onLoggedIn }: { clinicCode: string; onLoggedIn: (session: PortalLogin) => void }) => {
  const [referralCode] = useState(referralCodeOfUrl);
  const [invite, setInvite] = useState<Invite | undefined>();
  const [isRegistering, setIsRegistering] = useState(Boolean(referralCode));
  const [needsName, setNeedsName] = useState(false);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [gender, setGender] = useState<'female' | 'male' | 'unknown'>('unknown');
  const [hasAcceptedTerms, setHasAcceptedTerms] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const [isSending, setIsSending] = useState(false);
  const [isLoggingIn, setIsLoggingIn] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = window.setTimeout(() => setCountdown((seconds) => seconds - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [countdown]);

  useEffect(() => {
    if (!referralCode) return;
    fetchInvite(clinicCode, referralCode)
      .then(setInvite)
      .catch(() => Toast.show({ content: referralTexts.invite.invalid }));
  }, [clinicCode, referralCode]);

  const requestCode = async () => {
    if (!phonePattern.test(phone)) {
      Toast.show({ content: texts.login.phoneInvalid, icon: 'fail' });
      return;
    }
    setIsSending(true);
    try {
      const result = await sendCode(clinicCode, phone, isRegistering ? 'register' : 'login');
      if (result.ok) {
        setCountdown(result.sent.resendAfterSeconds);
        Toast.show({ content: texts.login.codeSent, icon: 'success' });
      } else {
        if (result.retryAfterSeconds) setCountdown(result.retryAfterSeconds);
        Toast.show({ content: portalErrorMessage(result.error), icon: 'fail' });
      }
    } catch (error) {
      Toast.show({ content: portalErrorMessage(error), icon: 'fail' });
    } finally {
      setIsSending(false);
    }
  };

  const register = async () => {
    if (!name.trim()) {
      Toast.show({ content: referralTexts.register.nameRequired, icon: 'fail' });
      return;
    }
    if (!hasAcceptedTerms) {
      Toast.show({ content: referralTexts.register.termsRequired, icon: 'fail' });
      return;
    }
    const session = await registerMember({
      tenantCode: clinicCode,
      phone,
      code,
      name: name.trim(),
      gender,
      referralCode: invite ? referralCode : undefined,
    });
    if (session.isNew) Toast.show({ content: referralTexts.register.welcomeNew, icon: 'success' });
    else Toast.clear();
    onLoggedIn(session);
  };

  const submit = async () => {
    if (!phonePattern.test(phone)) {
      Toast.show({ content: texts.login.phoneInvalid, icon: 'fail' });
      return;
    }
    if (!codePattern.test(code)) {
      Toast.show({ content: texts.login.codeInvalid, icon: 'fail' });
      return;
    }
    setIsLoggingIn(true);
    try {
      if (needsName) {
        await register();
        return;
      }
      const session = await logIn(clinicCode, phone, code);
      Toast.clear();
      onLoggedIn(session);
    } catch (error) {
      // Not a member yet: the code is still good, so ask for her name and register with it.
      if (error instanceof ApiError && error.code === 'MEMBER_NOT_REGISTERED') {
        setIsRegistering(true);
        setNeedsName(true);
        Toast.show({ content: referralTexts.register.needed });
      } else {
        Toast.show({ content: portalErrorMessage(error), icon: 'fail' });
      }
    } finally {
      setIsLoggingIn(false);
    }
  };

  return (
    <>
      <NavBar backIcon={false}>{texts.title}</NavBar>
      <PortalClinicLogo clinicCode={clinicCode} />
      <div className="portal-hero">
        <h1>{isRegistering ? referralTexts.register.title : texts.login.title}</h1>
        <p>{isRegistering ? referralTexts.register.welcome : texts.login.welcome}</p>
      </div>
      {invite && <InviteBanner invite={invite} />}
      {needsName && <NoticeBar content={referralTexts.register.needed} color="info" wrap />}
      <Form
        layout="horizontal"
        mode="card"
        footer={
          <Button block type="submit" color="primary" size="large" loading={isLoggingIn}>
            {needsName ? referralTexts.register.submit : isRegistering ? referralTexts.register.submitLogin : texts.login.submit}
          </Button>
        }
        onFinish={() => void submit()}
      >
        <Form.Item label={texts.login.phone}>
          <Input
            aria-label={texts.login.phone}
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            placeholder={texts.login.phonePlaceholder}
            value={phone}
            onChange={(value) => setPhone(value.replace(/\D/g, ''))}
            clearable
          />
        </Form.Item>
        <Form.Item
          label={texts.login.code}
          extra={
            <Button size="small" color="primary" fill="none" disabled={countdown > 0 || isSending} loading={isSending} onClick={() => void requestCode()}>
              {countdown > 0 ? texts.login.resendIn(countdown) : texts.login.sendCode}
            </Button>
          }
        >
          <Input
            aria-label={texts.login.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            placeholder={texts.login.codePlaceholder}
            value={code}
            onChange={(value) => setCode(value.replace(/\D/g, ''))}
          />
        </Form.Item>
        {needsName && (
          <>
            <Form.Item label={referralTexts.register.name}>
              <Input
                aria-label={referralTexts.register.name}
                autoComplete="name"
                maxLength={40}
                placeholder={referralTexts.register.namePlaceholder}
                value={name}
                onChange={setName}
                clearable
              />
            </Form.Item>
            <Form.Item label={referralTexts.register.gender}>
              <Selector
                options={[
                  { label: referralTexts.register.female, value: 'female' },
                  { label: referralTexts.register.male, value: 'male' },
                ]}
                value={gender === 'unknown' ? [] : [gender]}
                onChange={(values) => setGender((values[0] as 'female' | 'male' | undefined) ?? 'unknown')}
              />
            </Form.Item>
            <Form.Item>
              <Checkbox checked={hasAcceptedTerms} onChange={setHasAcceptedTerms} style={{ '--font-size': '13px' }}>
                {referralTexts.register.terms}
              </Checkbox>
            </Form.Item>
          </>
        )}
      </Form>
      {!needsName && (
        <div style={{ textAlign: 'center' }}>
          <Button size="small" fill="none" color="primary" onClick={() => setIsRegistering((current) => !current)}>
            {isRegistering ? referralTexts.register.toLogin : referralTexts.register.toggle}
          </Button>
        </div>
      )}
      <p className="portal-note">{texts.login.clinic(clinicCode)}</p>
    </>
  );
};
