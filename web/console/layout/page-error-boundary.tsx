import { Alert, Button } from 'antd';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type BoundaryState = { failed: boolean };

class Boundary extends Component<{ children: ReactNode; fallback: ReactNode }, BoundaryState> {
  override state: BoundaryState = { failed: false };

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

const PageFailed = () => {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.pageFailed')}
      description={t('common.pageFailedHint')}
      action={<Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>}
    />
  );
};

/**
 * A page whose code could not be fetched (the network dropped, or the server was updated and the
 * old chunk is gone) or that failed to render: a message and a reload, not a blank screen.
 */
export const PageErrorBoundary = ({ children }: { children: ReactNode }) => <Boundary fallback={<PageFailed />}>{children}</Boundary>;
