import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';

/** The server's own (Chinese) message when there is one, else a generic one in the UI language. */
export const useErrorMessage = () => {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) return error.message || t('errors.generic', { status: error.status });
    return t('errors.network');
  };
};
