import { Button } from '../../../components/Button.tsx';
import { useSessionStore } from '../../../store/sessionStore.ts';
import { useAckAlert } from '../api/useAlerts.ts';
import type { Alert } from '../operationsTypes.ts';

/** Acknowledges an open alert; service keys see it disabled with the reason. */
export function AckButton({ alert }: { alert: Alert }) {
  const role = useSessionStore((s) => s.me?.role);
  const ack = useAckAlert();
  if (alert.state !== 'open') return null;
  return (
    <Button
      size="sm"
      icon="check"
      busy={ack.isPending && ack.variables === alert.id}
      disabledReason={
        role === 'admin' || role === 'analyst' ? null : 'Only analysts and admins can acknowledge alerts.'
      }
      onClick={() => ack.mutate(alert.id)}
      aria-label={`Acknowledge alert ${alert.id}`}
    >
      Acknowledge
    </Button>
  );
}
