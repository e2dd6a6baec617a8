import { Button, Form, Input, NavBar, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import type { PortalLogin } from '../shared/api-models';
import { logIn, portalErrorMessage, sendCode } from './portal-api';
import { texts } from './texts';

const phonePattern = /^1\d{10}$/;
const codePattern = /^\d{6}$/;

/** Phone + SMS code (SPEC §18): 获取验证码 counts down 60 s (or the server's Retry-After), then 登录. */
export const LoginPage = ({ clinicCode, onLoggedIn }: { clinicCode: string; onLoggedIn: (session: PortalLogin) => void }) => {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [countdown, setCountdown] = useState(0);
  const [isSending, setIsSending] = useState(false);
  const [isLoggingIn, setIsLoggingIn] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = window.setTimeout(() => setCountdown((seconds) => seconds - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [countdown]);

  const requestCode = async () => {
    if (!phonePattern.test(phone)) {
      Toast.show({ content: texts.login.phoneInvalid, icon: 'fail' });
      return;
    }
    setIsSending(true);
    try {
      const result = await sendCode(clinicCode, phone);
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
      const session = await logIn(clinicCode, phone, code);
      Toast.clear();
      onLoggedIn(session);
    } catch (error) {
      Toast.show({ content: portalErrorMessage(error), icon: 'fail' });
    } finally {
      setIsLoggingIn(false);
    }
  };

  return (
    <>
      <NavBar backIcon={false}>{texts.title}</NavBar>
      <div className="portal-hero">
        <h1>{texts.login.title}</h1>
        <p>{texts.login.welcome}</p>
      </div>
      <Form
        layout="horizontal"
        mode="card"
        footer={
          <Button block type="submit" color="primary" size="large" loading={isLoggingIn}>
            {texts.login.submit}
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
      </Form>
      <p className="portal-note">{texts.login.clinic(clinicCode)}</p>
    </>
  );
};
