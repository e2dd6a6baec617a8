import { Alert } from 'antd';
import type { FormProblem } from './form-server-errors';

/** The server's refusal above a form: its message, and details no field shows. */
export const FormProblemAlert = ({ problem }: { problem: FormProblem | null }) =>
  problem ? (
    <Alert
      type="error"
      showIcon
      title={problem.title}
      description={problem.messages.length > 0 ? problem.messages.join('；') : undefined}
      style={{ marginBottom: 16 }}
    />
  ) : null;
